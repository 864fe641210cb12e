locals {
  namespace_name = var.service_connect_namespace_name != null ? var.service_connect_namespace_name : var.name
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = var.container_insights
  }

  dynamic "service_connect_defaults" {
    for_each = var.create_service_connect_namespace ? [1] : []

    content {
      namespace = aws_service_discovery_http_namespace.this[0].arn
    }
  }

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name = aws_ecs_cluster.this.name

  # Both are attached so each service can choose; Spot suits the idempotent, interruptible worker.
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  dynamic "default_capacity_provider_strategy" {
    for_each = var.default_capacity_provider_strategy

    content {
      capacity_provider = default_capacity_provider_strategy.value.capacity_provider
      weight            = default_capacity_provider_strategy.value.weight
      base              = default_capacity_provider_strategy.value.base
    }
  }
}

# ECS Service Connect (the successor of the discontinued App Mesh) discovers services through an
# AWS Cloud Map namespace; an HTTP namespace needs no Route 53 private zone.
resource "aws_service_discovery_http_namespace" "this" {
  count = var.create_service_connect_namespace ? 1 : 0

  name        = local.namespace_name
  description = "Service Connect namespace of the ${var.name} ECS cluster"

  tags = merge(var.tags, { Name = local.namespace_name })
}
