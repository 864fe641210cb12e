locals {
  region = data.aws_region.current.region

  lb_dim     = ["LoadBalancer", var.load_balancer_arn_suffix]
  worker_dim = ["Service", var.worker_metric_service, "Environment", var.environment]
  api_dim    = ["Service", var.api_metric_service, "Environment", var.environment]

  # Failures and rejections carry a Reason dimension: Metrics Insights sums every reason.
  api_rejected_query = "SELECT SUM(\"${var.api_metric_names.rejected}\") FROM \"${var.metrics_namespace}\" WHERE Service = '${var.api_metric_service}' AND Environment = '${var.environment}'"

  # The status consumer's metrics carry EventType / To next to Service and Environment:
  # Metrics Insights groups them into one series per value (no label: each series is named by
  # its group value).
  status_query = {
    for key, dimension in { events = "EventType", transitions = "To" } : key =>
    "SELECT SUM(\"${var.status_metric_names[key]}\") FROM \"${var.metrics_namespace}\" WHERE Service = '${var.worker_metric_service}' AND Environment = '${var.environment}' GROUP BY ${dimension}"
  }

  dashboard_widgets = [
    {
      title = "Queue length"
      stat  = "Maximum"
      metrics = [
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.queue_name, { label = "visible" }],
        ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", var.queue_name, { label = "in flight" }],
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.dlq_name, { label = "dead-letter" }],
      ]
    },
    {
      title = "Age of oldest message (s)"
      stat  = "Maximum"
      metrics = [
        ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", var.queue_name, { label = "queue" }],
        ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", var.dlq_name, { label = "dead-letter" }],
      ]
    },
    {
      title = "Worker processing time (ms)"
      stat  = "p50"
      metrics = [
        concat([var.metrics_namespace, var.worker_metric_names.processing_time], local.worker_dim, [{ stat = "p50", label = "processing p50" }]),
        concat([var.metrics_namespace, var.worker_metric_names.processing_time], local.worker_dim, [{ stat = "p99", label = "processing p99" }]),
        concat([var.metrics_namespace, var.worker_metric_names.ses_latency], local.worker_dim, [{ stat = "p99", label = "SES call p99" }]),
      ]
    },
    {
      title = "Worker sends"
      stat  = "Sum"
      metrics = [
        concat([var.metrics_namespace, var.worker_metric_names.sent], local.worker_dim, [{ label = "sent" }]),
        concat([var.metrics_namespace, var.worker_metric_names.retried], local.worker_dim, [{ label = "retried" }]),
        concat([var.metrics_namespace, var.worker_metric_names.dead_lettered], local.worker_dim, [{ label = "dead-lettered" }]),
        [{ expression = local.worker_failed_query, label = "failed", id = "failed" }],
      ]
    },
    {
      title = "API notifications"
      stat  = "Sum"
      metrics = [
        concat([var.metrics_namespace, var.api_metric_names.accepted], local.api_dim, [{ label = "accepted" }]),
        [{ expression = local.api_rejected_query, label = "rejected", id = "rejected" }],
        concat([var.metrics_namespace, var.api_metric_names.enqueue_latency], local.api_dim, [{ stat = "p99", label = "enqueue latency p99 (ms)", yAxis = "right" }]),
      ]
    },
    {
      title = "API errors"
      stat  = "Sum"
      metrics = [
        concat(["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"], local.lb_dim, [{ label = "target 5XX" }]),
        concat(["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count"], local.lb_dim, [{ label = "ALB 5XX" }]),
        concat(["AWS/ApplicationELB", "HTTPCode_Target_4XX_Count"], local.lb_dim, [{ label = "target 4XX" }]),
        concat(["AWS/ApplicationELB", "RequestCount"], local.lb_dim, [{ label = "requests" }]),
      ]
    },
    {
      title = "API latency (s)"
      stat  = "p50"
      metrics = [
        concat(["AWS/ApplicationELB", "TargetResponseTime"], local.lb_dim, [{ stat = "p50", label = "p50" }]),
        concat(["AWS/ApplicationELB", "TargetResponseTime"], local.lb_dim, [{ stat = "p95", label = "p95" }]),
        concat(["AWS/ApplicationELB", "TargetResponseTime"], local.lb_dim, [{ stat = "p99", label = "p99" }]),
      ]
    },
    {
      title = "SES events queue"
      stat  = "Maximum"
      metrics = [
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.events_queue_name, { label = "visible" }],
        ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", var.events_queue_name, { label = "oldest (s)", yAxis = "right" }],
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.events_dlq_name, { label = "dead-letter" }],
      ]
    },
    {
      # SES's own account counts of the events the status path receives, and the rule's
      # deliveries: matched events that failed to reach the queue went to the DLQ.
      title = "SES events"
      stat  = "Sum"
      metrics = [
        ["AWS/SES", "Send", { label = "send" }],
        ["AWS/SES", "Delivery", { label = "delivery" }],
        ["AWS/SES", "Bounce", { label = "bounce" }],
        ["AWS/SES", "Complaint", { label = "complaint" }],
        ["AWS/SES", "Reject", { label = "reject" }],
        ["AWS/SES", "RenderingFailure", { label = "rendering failure" }],
        ["AWS/Events", "MatchedEvents", "RuleName", var.events_rule_name, { label = "rule matched" }],
        ["AWS/Events", "FailedInvocations", "RuleName", var.events_rule_name, { label = "rule failed deliveries" }],
      ]
    },
    {
      title = "Status events processed, by type"
      stat  = "Sum"
      metrics = [
        [{ expression = local.status_query.events, id = "events" }],
        concat([var.metrics_namespace, var.status_metric_names.write_failed], local.worker_dim, [{ label = "store write failed" }]),
      ]
    },
    {
      title = "Status transitions, by new status"
      stat  = "Sum"
      metrics = [
        [{ expression = local.status_query.transitions, id = "transitions" }],
      ]
    },
    {
      title = "SES reputation (fraction)"
      stat  = "Maximum"
      metrics = [
        ["AWS/SES", "Reputation.BounceRate", { label = "bounce rate" }],
        ["AWS/SES", "Reputation.ComplaintRate", { label = "complaint rate" }],
      ]
    },
    {
      title = "Running tasks"
      stat  = "Average"
      metrics = [
        for key, service in local.ecs_services :
        ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", var.cluster_name, "ServiceName", service, { label = key }]
      ]
    },
    {
      title = "CPU utilisation (%)"
      stat  = "Average"
      metrics = [
        for key, service in local.ecs_services :
        ["AWS/ECS", "CPUUtilization", "ClusterName", var.cluster_name, "ServiceName", service, { label = key }]
      ]
    },
    {
      title = "Memory utilisation (%)"
      stat  = "Average"
      metrics = [
        for key, service in local.ecs_services :
        ["AWS/ECS", "MemoryUtilization", "ClusterName", var.cluster_name, "ServiceName", service, { label = key }]
      ]
    },
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name

  # Three 8-unit-wide widgets per row of CloudWatch's 24-unit grid.
  dashboard_body = jsonencode({
    widgets = [
      for i, w in local.dashboard_widgets : {
        type   = "metric"
        x      = (i % 3) * 8
        y      = floor(i / 3) * 6
        width  = 8
        height = 6
        properties = {
          title   = w.title
          region  = local.region
          view    = "timeSeries"
          stacked = false
          period  = 60
          stat    = w.stat
          metrics = w.metrics
        }
      }
    ]
  })
}
