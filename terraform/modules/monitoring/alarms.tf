locals {
  alarm_actions = [aws_sns_topic.alerts.arn]

  # Metrics Insights: SUM over all dimension combinations of the metric (any Reason).
  worker_failed_query = "SELECT SUM(\"${var.worker_metric_names.failed}\") FROM \"${var.metrics_namespace}\" WHERE Service = '${var.worker_metric_service}' AND Environment = '${var.environment}'"

  ecs_services = {
    api    = var.api_service_name
    worker = var.worker_service_name
  }
}

# ECS service utilisation: CPU > threshold for 10 minutes (2 x 5 min), memory > threshold.

resource "aws_cloudwatch_metric_alarm" "ecs_cpu_high" {
  for_each = local.ecs_services

  alarm_name          = "${var.name}-${each.key}-cpu-high"
  alarm_description   = "${each.value}: average CPU above ${var.cpu_threshold_percent}% for 10 minutes."
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  threshold           = var.cpu_threshold_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    ClusterName = var.cluster_name
    ServiceName = each.value
  }

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
  tags          = var.tags
}

resource "aws_cloudwatch_metric_alarm" "ecs_memory_high" {
  for_each = local.ecs_services

  alarm_name          = "${var.name}-${each.key}-memory-high"
  alarm_description   = "${each.value}: average memory above ${var.memory_threshold_percent}% for 10 minutes."
  namespace           = "AWS/ECS"
  metric_name         = "MemoryUtilization"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  threshold           = var.memory_threshold_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    ClusterName = var.cluster_name
    ServiceName = each.value
  }

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
  tags          = var.tags
}

# ALB: the API's errors and latency. These also gate CodeDeploy: ALARM during a blue/green
# deployment stops it and rolls back.

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${var.name}-api-target-5xx"
  alarm_description   = "More than ${var.target_5xx_threshold} target 5XX responses in 5 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.target_5xx_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    LoadBalancer = var.load_balancer_arn_suffix
  }

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
  tags          = var.tags
}

resource "aws_cloudwatch_metric_alarm" "api_latency" {
  alarm_name          = "${var.name}-api-response-time"
  alarm_description   = "Target response time ${var.response_time_statistic} above ${var.response_time_threshold_seconds} s in 3 of 5 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  extended_statistic  = var.response_time_statistic
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.response_time_threshold_seconds
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    LoadBalancer = var.load_balancer_arn_suffix
  }

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
  tags          = var.tags
}

# One per target group: UnHealthyHostCount only exists per target group, and blue/green
# alternate which one serves.
resource "aws_cloudwatch_metric_alarm" "api_unhealthy_hosts" {
  for_each = var.target_group_arn_suffixes

  alarm_name          = "${var.name}-api-unhealthy-hosts-${each.key}"
  alarm_description   = "At least one unhealthy API target in target group ${each.key} for 2 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 2
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    LoadBalancer = var.load_balancer_arn_suffix
    TargetGroup  = each.value
  }

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
  tags          = var.tags
}

# Queue health: a growing backlog and anything set aside in the dead-letter queue.

resource "aws_cloudwatch_metric_alarm" "queue_oldest_message_age" {
  alarm_name          = "${var.name}-queue-oldest-message-age"
  alarm_description   = "Oldest message in ${var.queue_name} older than ${var.queue_oldest_message_age_threshold_seconds} s for 5 minutes: the worker is not keeping up."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = var.queue_oldest_message_age_threshold_seconds
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    QueueName = var.queue_name
  }

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
  tags          = var.tags
}

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  alarm_name          = "${var.name}-dlq-not-empty"
  alarm_description   = "Messages in ${var.dlq_name}: notifications that could not be sent need attention."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    QueueName = var.dlq_name
  }

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
  tags          = var.tags
}

# The worker's own EMF metric; also the alarm that rolls back a worker deployment. The worker
# adds a Reason dimension to each failure, so a plain metric alarm on Service/Environment would
# see no data: a Metrics Insights query sums the failures over every reason instead.
resource "aws_cloudwatch_metric_alarm" "worker_send_failures" {
  alarm_name          = "${var.name}-worker-send-failures"
  alarm_description   = "More than ${var.worker_failed_threshold} failed email sends in 5 minutes."
  evaluation_periods  = 1
  threshold           = var.worker_failed_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  metric_query {
    id          = "failed"
    label       = "Failed sends"
    period      = 300
    return_data = true
    expression  = local.worker_failed_query
  }

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
  tags          = var.tags
}

# The notification status path: an event that could not be delivered to the events queue, or
# that the status consumer gave up on, waits in the events DLQ; the statuses it carries are
# missing until an operator redrives it.
resource "aws_cloudwatch_metric_alarm" "events_dlq_not_empty" {
  alarm_name          = "${var.name}-ses-events-dlq-not-empty"
  alarm_description   = "Messages in ${var.events_dlq_name}: SES events that were not recorded; notification statuses are stale until they are redriven."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    QueueName = var.events_dlq_name
  }

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
  tags          = var.tags
}

# SES reputation of the account (the rates AWS acts on, over all configuration sets): AWS puts
# an account under review at 5% bounces / 0.1% complaints and may pause its sending at about
# 10% / 0.5%. SES updates these metrics a few times an hour, hence the hour-long period.
resource "aws_cloudwatch_metric_alarm" "ses_bounce_rate" {
  alarm_name          = "${var.name}-ses-bounce-rate"
  alarm_description   = "SES account bounce rate above ${var.ses_bounce_rate_threshold * 100}% (AWS may pause sending at about 10%): stop sending to bounced addresses."
  namespace           = "AWS/SES"
  metric_name         = "Reputation.BounceRate"
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = var.ses_bounce_rate_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
  tags          = var.tags
}

resource "aws_cloudwatch_metric_alarm" "ses_complaint_rate" {
  alarm_name          = "${var.name}-ses-complaint-rate"
  alarm_description   = "SES account complaint rate above ${var.ses_complaint_rate_threshold * 100}% (AWS may pause sending at about 0.5%): find out who is complaining and why."
  namespace           = "AWS/SES"
  metric_name         = "Reputation.ComplaintRate"
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = var.ses_complaint_rate_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
  tags          = var.tags
}
