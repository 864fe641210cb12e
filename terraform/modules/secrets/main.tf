# Only the container for the value is created: a secret version would put the tokens into the
# Terraform state. Operators set the value with put-secret-value (see README.md).
resource "aws_secretsmanager_secret" "this" {
  name                    = var.name
  description             = var.description
  kms_key_id              = var.kms_key_id
  recovery_window_in_days = var.recovery_window_in_days

  tags = var.tags
}
