output "service_name" {
  description = "Name of the ECS service."
  value       = local.service.name
}

output "service_arn" {
  description = "ARN of the ECS service."
  value       = local.service.id
}

output "container_name" {
  description = "Name of the container in the task definition."
  value       = var.container_name
}

output "container_port" {
  description = "Port the container listens on."
  value       = var.container_port
}

output "task_definition_arn" {
  description = "ARN (with revision) of the task definition Terraform registered."
  value       = aws_ecs_task_definition.this.arn
}

output "task_definition_family" {
  description = "Family of the task definition (the deploy pipeline registers new revisions in it)."
  value       = aws_ecs_task_definition.this.family
}

output "task_role_arn" {
  description = "ARN of the task role (application permissions)."
  value       = aws_iam_role.task.arn
}

output "task_role_name" {
  description = "Name of the task role."
  value       = aws_iam_role.task.name
}

output "execution_role_arn" {
  description = "ARN of the task execution role (image pull, logs, secrets)."
  value       = aws_iam_role.task_exec.arn
}

output "execution_role_name" {
  description = "Name of the task execution role."
  value       = aws_iam_role.task_exec.name
}

output "security_group_id" {
  description = "Security group of the tasks."
  value       = aws_security_group.this.id
}

output "log_group_name" {
  description = "CloudWatch log group of the container."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the container's log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "deployment_controller" {
  description = "Deployment controller of the service (ECS or CODE_DEPLOY)."
  value       = var.deployment_controller
}

output "service_connect_enabled" {
  description = "Whether the service joined the Service Connect namespace (never with CODE_DEPLOY)."
  value       = local.service_connect_enabled
}

output "autoscaling_resource_id" {
  description = "Application Auto Scaling resource ID (service/<cluster>/<service>)."
  value       = aws_appautoscaling_target.this.resource_id
}
