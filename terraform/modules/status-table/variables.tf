variable "name" {
  description = "Name of the table (STATUS_TABLE of both services), e.g. `notify-staging-status`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "name must be 3-255 characters of letters, digits, underscores, hyphens and dots."
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
