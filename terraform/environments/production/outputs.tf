output "delivery" {
  description = "Everything the workflows need to deploy production in this region (cluster, services, CodeDeploy, ECR, roles, URLs, queues), read with `terraform output -json delivery`."
  value       = module.platform.delivery
}
