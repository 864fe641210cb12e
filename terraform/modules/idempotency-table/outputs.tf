output "table_name" {
  description = "Name of the table (IDEMPOTENCY_TABLE of the API)."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the table."
  value       = aws_dynamodb_table.this.arn
}

output "access_policy_json" {
  description = "IAM policy JSON granting GetItem, PutItem, UpdateItem and DeleteItem on the table (and the KMS key if one is set): all the API needs."
  value       = data.aws_iam_policy_document.access.json
}
