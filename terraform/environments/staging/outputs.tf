output "delivery" {
  description = "Everything the workflows need to deploy staging (cluster, services, CodeDeploy, ECR, roles, URLs, queues), read with `terraform output -json delivery`."
  value       = module.platform.delivery
}
