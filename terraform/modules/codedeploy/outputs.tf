output "application_name" {
  description = "Name of the CodeDeploy application."
  value       = aws_codedeploy_app.this.name
}

output "application_arn" {
  description = "ARN of the CodeDeploy application."
  value       = aws_codedeploy_app.this.arn
}

output "deployment_group_name" {
  description = "Name of the deployment group."
  value       = aws_codedeploy_deployment_group.this.deployment_group_name
}

output "deployment_group_arn" {
  description = "ARN of the deployment group (deploy role permissions)."
  value       = aws_codedeploy_deployment_group.this.arn
}

output "deployment_group_id" {
  description = "ID of the deployment group."
  value       = aws_codedeploy_deployment_group.this.deployment_group_id
}

output "deployment_config_name" {
  description = "Deployment configuration used by the group."
  value       = aws_codedeploy_deployment_group.this.deployment_config_name
}

output "deployment_config_arn" {
  description = "ARN of the deployment configuration (deploy role needs codedeploy:GetDeploymentConfig on it)."
  value       = "arn:${data.aws_partition.current.partition}:codedeploy:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:deploymentconfig:${var.deployment_config_name}"
}

output "service_role_arn" {
  description = "ARN of the CodeDeploy service role."
  value       = aws_iam_role.this.arn
}

output "ready_wait_time_in_minutes" {
  description = "Minutes a deployment waits at Ready before it is stopped (0 = no wait)."
  value       = var.ready_wait_time_in_minutes
}
