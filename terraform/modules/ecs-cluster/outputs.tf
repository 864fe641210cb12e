output "id" {
  description = "ID of the ECS cluster."
  value       = aws_ecs_cluster.this.id

  # Services with a capacity provider strategy must wait for (and on destroy, go before) the
  # attachment of the providers.
  depends_on = [aws_ecs_cluster_capacity_providers.this]
}

output "arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn

  # Services with a capacity provider strategy must wait for (and on destroy, go before) the
  # attachment of the providers.
  depends_on = [aws_ecs_cluster_capacity_providers.this]
}

output "name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name

  # Services with a capacity provider strategy must wait for (and on destroy, go before) the
  # attachment of the providers.
  depends_on = [aws_ecs_cluster_capacity_providers.this]
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
