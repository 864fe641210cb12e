output "id" {
  description = "ID of the ECS cluster."
  value       = aws_ecs_cluster.this.id
}

output "arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "capacity_providers" {
  description = "Capacity providers attached to the cluster."
  value       = aws_ecs_cluster_capacity_providers.this.capacity_providers
}

output "service_connect_namespace_arn" {
  description = "ARN of the Cloud Map namespace for Service Connect (null when not created)."
  value       = var.create_service_connect_namespace ? aws_service_discovery_http_namespace.this[0].arn : null
}

output "service_connect_namespace_id" {
  description = "ID of the Cloud Map namespace for Service Connect (null when not created)."
  value       = var.create_service_connect_namespace ? aws_service_discovery_http_namespace.this[0].id : null
}

output "service_connect_namespace_name" {
  description = "Name of the Cloud Map namespace for Service Connect (null when not created)."
  value       = var.create_service_connect_namespace ? aws_service_discovery_http_namespace.this[0].name : null
}
