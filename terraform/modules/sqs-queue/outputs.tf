output "queue_url" {
  description = "URL of the queue (QUEUE_URL of both services)."
  value       = aws_sqs_queue.this.url
}

output "queue_arn" {
  description = "ARN of the queue."
  value       = aws_sqs_queue.this.arn
}

output "queue_name" {
  description = "Name of the queue (the QueueName dimension of its CloudWatch metrics)."
  value       = aws_sqs_queue.this.name
}

output "dlq_url" {
  description = "URL of the dead-letter queue (DLQ_URL of the worker)."
  value       = aws_sqs_queue.dlq.url
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_name" {
  description = "Name of the dead-letter queue."
  value       = aws_sqs_queue.dlq.name
}

output "max_receive_count" {
  description = "Receives before a message moves to the DLQ (pass to the worker as MAX_RECEIVE_COUNT)."
  value       = var.max_receive_count
}

output "visibility_timeout_seconds" {
  description = "Visibility timeout of the queue (pass to the worker as VISIBILITY_TIMEOUT_SECONDS)."
  value       = aws_sqs_queue.this.visibility_timeout_seconds
}

output "producer_policy_json" {
  description = "IAM policy JSON granting exactly what a producer needs: SendMessage and GetQueueAttributes (readiness) on the queue, plus the KMS key if one is used."
  value       = data.aws_iam_policy_document.producer.json
}

output "consumer_policy_json" {
  description = "IAM policy JSON granting exactly what a consumer needs: receive, delete, change visibility and GetQueueAttributes on the queue, plus the KMS key if one is used."
  value       = data.aws_iam_policy_document.consumer.json
}

output "dlq_producer_policy_json" {
  description = "IAM policy JSON for a role that sets messages aside in the DLQ itself: SendMessage and GetQueueAttributes on the DLQ, plus the KMS key if one is used. Statement ids differ from the other documents, so they merge with `source_policy_documents`."
  value       = data.aws_iam_policy_document.dlq_producer.json
}
