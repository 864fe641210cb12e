output "alerts_topic_arn" {
  description = "ARN of the SNS topic every alarm notifies."
  value       = aws_sns_topic.alerts.arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the alerts topic (created here unless `kms_key_arn` was given); SES event topics may share it."
  value       = local.kms_key_arn
}

output "alarm_names" {
  description = "Names of all alarms, by purpose."
  value = merge(
    { for k, a in aws_cloudwatch_metric_alarm.ecs_cpu_high : "${k}_cpu_high" => a.alarm_name },
    { for k, a in aws_cloudwatch_metric_alarm.ecs_memory_high : "${k}_memory_high" => a.alarm_name },
    { for k, a in aws_cloudwatch_metric_alarm.api_unhealthy_hosts : "api_unhealthy_hosts_${k}" => a.alarm_name },
    {
      api_target_5xx           = aws_cloudwatch_metric_alarm.api_5xx.alarm_name
      api_response_time        = aws_cloudwatch_metric_alarm.api_latency.alarm_name
      queue_oldest_message_age = aws_cloudwatch_metric_alarm.queue_oldest_message_age.alarm_name
      dlq_not_empty            = aws_cloudwatch_metric_alarm.dlq_not_empty.alarm_name
      worker_send_failures     = aws_cloudwatch_metric_alarm.worker_send_failures.alarm_name
      events_dlq_not_empty     = aws_cloudwatch_metric_alarm.events_dlq_not_empty.alarm_name
      ses_bounce_rate          = aws_cloudwatch_metric_alarm.ses_bounce_rate.alarm_name
      ses_complaint_rate       = aws_cloudwatch_metric_alarm.ses_complaint_rate.alarm_name
    },
  )
}

output "alarm_arns" {
  description = "ARNs of all alarms, by purpose (same keys as `alarm_names`)."
  value = merge(
    { for k, a in aws_cloudwatch_metric_alarm.ecs_cpu_high : "${k}_cpu_high" => a.arn },
    { for k, a in aws_cloudwatch_metric_alarm.ecs_memory_high : "${k}_memory_high" => a.arn },
    { for k, a in aws_cloudwatch_metric_alarm.api_unhealthy_hosts : "api_unhealthy_hosts_${k}" => a.arn },
    {
      api_target_5xx           = aws_cloudwatch_metric_alarm.api_5xx.arn
      api_response_time        = aws_cloudwatch_metric_alarm.api_latency.arn
      queue_oldest_message_age = aws_cloudwatch_metric_alarm.queue_oldest_message_age.arn
      dlq_not_empty            = aws_cloudwatch_metric_alarm.dlq_not_empty.arn
      worker_send_failures     = aws_cloudwatch_metric_alarm.worker_send_failures.arn
      events_dlq_not_empty     = aws_cloudwatch_metric_alarm.events_dlq_not_empty.arn
      ses_bounce_rate          = aws_cloudwatch_metric_alarm.ses_bounce_rate.arn
      ses_complaint_rate       = aws_cloudwatch_metric_alarm.ses_complaint_rate.arn
    },
  )
}

output "api_deployment_alarm_names" {
  description = "Alarms that stop and roll back an API blue/green deployment (CodeDeploy alarm_configuration): target 5XX, response time, unhealthy hosts."
  value = concat(
    [
      aws_cloudwatch_metric_alarm.api_5xx.alarm_name,
      aws_cloudwatch_metric_alarm.api_latency.alarm_name,
    ],
    [for a in aws_cloudwatch_metric_alarm.api_unhealthy_hosts : a.alarm_name],
  )
}

output "worker_deployment_alarm_names" {
  description = "Alarms that roll back a worker rolling deployment (ECS service `alarms` block): send failures. The DLQ alarm is left out because it can already be in ALARM from before the deployment."
  value       = [aws_cloudwatch_metric_alarm.worker_send_failures.alarm_name]
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}
