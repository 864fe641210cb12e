output "oidc_provider_arn" {
  description = "ARN of the GitHub OIDC provider (created or looked up)."
  value       = local.oidc_provider_arn
}

output "plan_role_arn" {
  description = "ARN of the read-only plan role for pull requests, or null when not created."
  value       = var.create_plan_role ? aws_iam_role.plan[0].arn : null
}

output "deploy_role_arn" {
  description = "ARN of the deploy role of this environment."
  value       = aws_iam_role.deploy.arn
}

output "terraform_role_arn" {
  description = "ARN of the Terraform apply role of this environment, or null when not created."
  value       = var.create_terraform_role ? aws_iam_role.terraform[0].arn : null
}

output "permissions_boundary_arn" {
  description = "ARN of the environment boundary (`<name>-boundary`): every role of this environment must carry it as its permissions boundary."
  value       = aws_iam_policy.boundary.arn
}
