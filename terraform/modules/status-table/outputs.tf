output "table_name" {
  description = "Name of the table (STATUS_TABLE of both services)."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the table."
  value       = aws_dynamodb_table.this.arn
}

output "index_names" {
  description = "Names of the global secondary indexes: by-reference, by-ses-message, by-change."
  value       = sort([for index in aws_dynamodb_table.this.global_secondary_index : index.name])
}

output "api_policy_json" {
  description = "IAM policy JSON for notification-api: BatchWriteItem, GetItem, DeleteItem on the table, Query on the table and its indexes (and the KMS key if one is set)."
  value       = data.aws_iam_policy_document.api.json
}

output "worker_policy_json" {
  description = "IAM policy JSON for email-sender (status consumer): GetItem, PutItem, UpdateItem, DeleteItem (an unknown notification's event item) on the table, Query on the table and its indexes (and the KMS key if one is set)."
  value       = data.aws_iam_policy_document.worker.json
}
