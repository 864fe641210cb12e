variable "name" {
  description = "Name of the secret, e.g. `notify-staging/api-tokens`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]{1,512}$", var.name))
    error_message = "name must be 1-512 characters of letters, digits and /_+=.@-."
  }
}

variable "description" {
  description = "What the secret holds and its expected format."
  type        = string
  default     = "API bearer tokens of notification-api as a JSON object {\"<client>\": \"<token>\"}; several entries may be valid at once for rotation."
}

variable "kms_key_id" {
  description = "KMS key ARN or ID to encrypt the secret with. Null uses the AWS-managed key `aws/secretsmanager`; a customer key must let the ECS execution role decrypt."
  type        = string
  default     = null
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored: 0 deletes at once, otherwise 7-30."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30)
    error_message = "recovery_window_in_days must be 0 or from 7 to 30."
  }
}

variable "tags" {
  description = "Tags added to the secret."
  type        = map(string)
  default     = {}
}

variable "placeholder_value" {
  description = "A first value holding nothing secret (e.g. `{}`) for a secret whose empty value is valid, so tasks that read it can start before an operator sets it; later values set by operators are left alone. Null (the default) creates no version."
  type        = string
  default     = null
}
