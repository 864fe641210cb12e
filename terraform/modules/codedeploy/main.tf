data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  deployment_group_name = var.deployment_group_name != null ? var.deployment_group_name : var.name
  wait_at_ready         = var.ready_wait_time_in_minutes > 0
  alarms_enabled        = length(var.alarm_names) > 0
}

resource "aws_codedeploy_app" "this" {
  name             = var.name
  compute_platform = "ECS"

  tags = var.tags
}

resource "aws_codedeploy_deployment_group" "this" {
  app_name               = aws_codedeploy_app.this.name
  deployment_group_name  = local.deployment_group_name
  service_role_arn       = aws_iam_role.this.arn
  deployment_config_name = var.deployment_config_name

  deployment_style {
    deployment_type   = "BLUE_GREEN"
    deployment_option = "WITH_TRAFFIC_CONTROL"
  }

  ecs_service {
    cluster_name = var.ecs_cluster_name
    service_name = var.ecs_service_name
  }

  blue_green_deployment_config {
    # STOP_DEPLOYMENT: the deployment halts at Ready (green serves only the test listener) until the
    # pipeline has smoke-tested it and calls ContinueDeployment; past the wait it stops and rolls back.
    deployment_ready_option {
      action_on_timeout    = local.wait_at_ready ? "STOP_DEPLOYMENT" : "CONTINUE_DEPLOYMENT"
      wait_time_in_minutes = local.wait_at_ready ? var.ready_wait_time_in_minutes : null
    }

    terminate_blue_instances_on_deployment_success {
      action                           = "TERMINATE"
      termination_wait_time_in_minutes = var.termination_wait_time_in_minutes
    }
  }

  load_balancer_info {
    target_group_pair_info {
      prod_traffic_route {
        listener_arns = [var.prod_listener_arn]
      }

      test_traffic_route {
        listener_arns = [var.test_listener_arn]
      }

      target_group {
        name = var.blue_target_group_name
      }

      target_group {
        name = var.green_target_group_name
      }
    }
  }

  auto_rollback_configuration {
    enabled = true
    events  = local.alarms_enabled ? ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"] : ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST"]
  }

  dynamic "alarm_configuration" {
    for_each = local.alarms_enabled ? [1] : []

    content {
      enabled                   = true
      alarms                    = var.alarm_names
      ignore_poll_alarm_failure = var.ignore_alarm_poll_failure
    }
  }

  tags = var.tags
}
