output "rule_name" {
  description = "Name of the EventBridge rule (the RuleName dimension of its AWS/Events metrics)."
  value       = aws_cloudwatch_event_rule.ses_events.name
}

output "rule_arn" {
  description = "ARN of the EventBridge rule, the only source allowed to send to the queue."
  value       = aws_cloudwatch_event_rule.ses_events.arn
}

output "queue_url" {
  description = "URL of the events queue (EVENTS_QUEUE_URL of the worker)."
  value       = module.queue.queue_url
}

output "queue_arn" {
  description = "ARN of the events queue."
  value       = module.queue.queue_arn
}

output "queue_name" {
  description = "Name of the events queue (QueueName dimension)."
  value       = module.queue.queue_name
}

output "dlq_url" {
  description = "URL of the events dead-letter queue."
  value       = module.queue.dlq_url
}

output "dlq_arn" {
  description = "ARN of the events dead-letter queue."
  value       = module.queue.dlq_arn
}

output "dlq_name" {
  description = "Name of the events dead-letter queue (QueueName dimension)."
  value       = module.queue.dlq_name
}

output "max_receive_count" {
  description = "Receives before an event moves to the DLQ."
  value       = module.queue.max_receive_count
}

output "consumer_policy_json" {
  description = "IAM policy JSON for the status consumer: ReceiveMessage, DeleteMessage, ChangeMessageVisibility and GetQueueAttributes on the events queue."
  value       = module.queue.consumer_policy_json
}

output "dlq_producer_policy_json" {
  description = "IAM policy JSON for the status consumer: SendMessage (and GetQueueAttributes) on the events DLQ, for poison events."
  value       = module.queue.dlq_producer_policy_json
}
