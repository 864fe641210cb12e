variable "name" {
  description = "Name of the table, e.g. `notify-staging-idempotency`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "name must be 3-255 characters of letters, digits, underscores, hyphens and dots."
  }
}

variable "ttl_attribute_name" {
  description = "Item attribute holding the expiry time in epoch seconds; DynamoDB deletes expired records (the API writes `expiresAt`)."
  type        = string
  default     = "expiresAt"

  validation {
    condition     = length(var.ttl_attribute_name) > 0 && length(var.ttl_attribute_name) <= 255
    error_message = "ttl_attribute_name must be 1-255 characters."
  }
}

variable "point_in_time_recovery_enabled" {
  description = "Keep continuous backups for point-in-time restore."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key ARN for encryption at rest. Null uses the AWS-managed key `aws/dynamodb` (still encrypted)."
  type        = string
  default     = null
}

variable "deletion_protection_enabled" {
  description = "Refuse DeleteTable until this is switched off (on in production)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to the table."
  type        = map(string)
  default     = {}
}
