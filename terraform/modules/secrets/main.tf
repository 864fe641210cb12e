# Only the container for the value is created: a secret version would put the tokens into the
# Terraform state. Operators set the value with put-secret-value (see README.md). The one
# exception is an optional placeholder that holds nothing secret (`{}`), for a secret whose
# empty value is valid, so ECS can start a task that reads it before an operator sets it.
resource "aws_secretsmanager_secret" "this" {
  # The value holds client tokens or webhook signing secrets issued by operators: rotating means
  # issuing a new one and retiring the old one with the client, which no rotation Lambda can do.
  #checkov:skip=CKV2_AWS_57:client tokens and webhook signing secrets are rotated by operators with put-secret-value (README), not by a rotation Lambda
  name        = var.name
  description = var.description
  # Secrets Manager encrypts with its AWS-managed key unless kms_key_id names a CMK.
  #checkov:skip=CKV_AWS_149:kms_key_id is optional (null: the aws/secretsmanager key); a CMK adds a key policy the execution role must be granted
  #trivy:ignore:AVD-AWS-0098
  kms_key_id              = var.kms_key_id
  recovery_window_in_days = var.recovery_window_in_days

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "placeholder" {
  count = var.placeholder_value == null ? 0 : 1

  secret_id     = aws_secretsmanager_secret.this.id
  secret_string = var.placeholder_value

  # Operators own the value from then on: their put-secret-value moves AWSCURRENT to a new
  # version, which Terraform must neither revert nor report as drift.
  lifecycle {
    ignore_changes = [secret_string, version_stages]
  }
}
