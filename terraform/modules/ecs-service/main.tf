data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # AWS limitation: Service Connect cannot be used by services with the CODE_DEPLOY controller
  # (aws/containers-roadmap#1993), so the blue/green API stays outside the namespace.
  service_connect_enabled = var.service_connect_namespace_arn != null && var.deployment_controller == "ECS"
  discovery_name          = var.service_connect_discovery_name != null ? var.service_connect_discovery_name : var.container_name

  # The Node image has no curl: probe with Node's own fetch.
  health_check_command = var.health_check.command != null ? var.health_check.command : [
    "CMD", "node", "-e",
    "fetch('http://127.0.0.1:${var.container_port}${var.health_check.path}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))",
  ]

  container_definition = {
    name      = var.container_name
    image     = var.image
    essential = true

    user                   = var.container_user
    readonlyRootFilesystem = true
    privileged             = false
    stopTimeout            = var.stop_timeout

    # tini as PID 1 forwards SIGTERM to node and reaps zombies.
    linuxParameters = { initProcessEnabled = true }

    portMappings = [{
      name          = var.port_name
      containerPort = var.container_port
      hostPort      = var.container_port
      protocol      = "tcp"
      appProtocol   = "http"
    }]

    environment = [for k in sort(keys(var.environment)) : { name = k, value = var.environment[k] }]
    secrets     = [for k in sort(keys(var.secrets)) : { name = k, valueFrom = var.secrets[k] }]

    # The root filesystem is read-only; /tmp is the one writable place.
    mountPoints = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
    volumesFrom = []

    healthCheck = {
      command     = local.health_check_command
      interval    = var.health_check.interval
      timeout     = var.health_check.timeout
      retries     = var.health_check.retries
      startPeriod = var.health_check.start_period
    }

    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = data.aws_region.current.region
        awslogs-stream-prefix = var.container_name
      }
    }
  }

  service = var.deployment_controller == "CODE_DEPLOY" ? aws_ecs_service.blue_green[0] : aws_ecs_service.this[0]
}

resource "aws_cloudwatch_log_group" "this" {
  name = "/ecs/${var.name}"
  #checkov:skip=CKV_AWS_338:retention is the caller's choice (log_retention_in_days); production keeps 365 days, staging 30 (pre-production logs, cost)
  retention_in_days = var.log_retention_in_days
  # CloudWatch Logs encrypts every log group; a customer-managed key is optional.
  #checkov:skip=CKV_AWS_158:log_kms_key_arn is optional: the key's policy must grant logs.<region>.amazonaws.com, so the module cannot create a working default; null keeps CloudWatch's own encryption
  #trivy:ignore:AVD-AWS-0017
  kms_key_id = var.log_kms_key_arn

  tags = var.tags
}

resource "aws_ecs_task_definition" "this" {
  family = var.name
  # Keep replaced revisions ACTIVE: the deploy and rollback actions pick rollback targets from
  # the family's ACTIVE revisions, and a deregistered revision can no longer be deployed.
  skip_destroy             = true
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.task_exec.arn
  task_role_arn            = aws_iam_role.task.arn

  container_definitions = jsonencode([local.container_definition])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  volume {
    name = "tmp"
  }

  tags = merge(var.tags, { Name = var.name })
}

################################################################################
# Service: rolling (ECS controller) ...
################################################################################

resource "aws_ecs_service" "this" {
  count = var.deployment_controller == "ECS" ? 1 : 0

  name                    = var.name
  cluster                 = var.cluster_arn
  task_definition         = aws_ecs_task_definition.this.arn
  desired_count           = var.desired_count
  platform_version        = var.platform_version
  propagate_tags          = "SERVICE"
  enable_ecs_managed_tags = true
  wait_for_steady_state   = var.wait_for_steady_state

  deployment_minimum_healthy_percent = var.deployment_minimum_healthy_percent
  deployment_maximum_percent         = var.deployment_maximum_percent
  health_check_grace_period_seconds  = var.load_balancer != null ? var.health_check_grace_period_seconds : null

  deployment_controller {
    type = "ECS"
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  dynamic "alarms" {
    for_each = length(var.deployment_alarm_names) > 0 ? [1] : []

    content {
      alarm_names = var.deployment_alarm_names
      enable      = true
      rollback    = true
    }
  }

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy

    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = var.load_balancer != null ? [var.load_balancer] : []

    content {
      target_group_arn = load_balancer.value.target_group_arn
      container_name   = var.container_name
      container_port   = var.container_port
    }
  }

  dynamic "service_connect_configuration" {
    for_each = local.service_connect_enabled ? [1] : []

    content {
      enabled   = true
      namespace = var.service_connect_namespace_arn

      service {
        port_name      = var.port_name
        discovery_name = local.discovery_name

        client_alias {
          port     = var.container_port
          dns_name = local.discovery_name
        }
      }

      log_configuration {
        log_driver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this.name
          awslogs-region        = data.aws_region.current.region
          awslogs-stream-prefix = "service-connect"
        }
      }
    }
  }

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    # Autoscaling owns the count; the deploy pipeline owns the running revision (it registers
    # revisions of this family with new images), so an apply never rolls code back.
    ignore_changes = [desired_count, task_definition]
  }
}

################################################################################
# ... or blue/green (CODE_DEPLOY controller)
################################################################################

resource "aws_ecs_service" "blue_green" {
  count = var.deployment_controller == "CODE_DEPLOY" ? 1 : 0

  name                    = var.name
  cluster                 = var.cluster_arn
  task_definition         = aws_ecs_task_definition.this.arn
  desired_count           = var.desired_count
  platform_version        = var.platform_version
  propagate_tags          = "SERVICE"
  enable_ecs_managed_tags = true
  wait_for_steady_state   = var.wait_for_steady_state

  deployment_minimum_healthy_percent = var.deployment_minimum_healthy_percent
  deployment_maximum_percent         = var.deployment_maximum_percent
  health_check_grace_period_seconds  = var.health_check_grace_period_seconds

  deployment_controller {
    type = "CODE_DEPLOY"
  }

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy

    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  # Changing the network configuration of a CODE_DEPLOY service in place fails: it travels in the
  # AppSpec of a deployment instead.
  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.load_balancer.target_group_arn
    container_name   = var.container_name
    container_port   = var.container_port
  }

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    # CodeDeploy swaps the task definition and the target group on every deployment, and
    # autoscaling owns the count.
    ignore_changes = [task_definition, load_balancer, desired_count]
  }
}

################################################################################
# Security group: inbound only from the given security groups on the container port
################################################################################

resource "aws_security_group" "this" {
  name        = "${var.name}-tasks"
  description = "Tasks of ${var.name}: container port from allowed security groups, HTTPS out"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-tasks" })
}

resource "aws_vpc_security_group_ingress_rule" "container_port" {
  count = length(var.ingress_security_group_ids)

  security_group_id            = aws_security_group.this.id
  description                  = "Container port from an allowed security group"
  referenced_security_group_id = var.ingress_security_group_ids[count.index]
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
}

# AWS APIs (SQS, SES, DynamoDB, ECR, Logs, Secrets Manager) are all HTTPS, through NAT or VPC
# endpoints; so are the clients' webhook endpoints the worker calls (through NAT).
resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = "HTTPS to AWS APIs"
  # SES, SQS, DynamoDB and the other AWS endpoints have no fixed addresses (prefix lists exist
  # only for the gateway endpoints), so HTTPS goes to any address; only port 443 is open.
  #trivy:ignore:AVD-AWS-0104
  cidr_ipv4   = "0.0.0.0/0"
  ip_protocol = "tcp"
  from_port   = 443
  to_port     = 443
}
