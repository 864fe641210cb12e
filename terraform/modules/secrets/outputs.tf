output "secret_arn" {
  description = "ARN of the secret (the `valueFrom` of the task definition's secret)."
  value       = aws_secretsmanager_secret.this.arn
}

output "secret_name" {
  description = "Name of the secret (the `--secret-id` for put-secret-value)."
  value       = aws_secretsmanager_secret.this.name
}
