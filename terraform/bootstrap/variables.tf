variable "region" {
  description = "Region of the state bucket (one bucket serves every environment and region)."
  type        = string
  default     = "us-east-1"
}

variable "project" {
  description = "Project name used in the bucket name and tags."
  type        = string
  default     = "notify"
}

variable "state_bucket_name" {
  description = "Name of the state bucket. Null uses `<project>-tfstate-<account id>-<region>` (globally unique)."
  type        = string
  default     = null

  validation {
    condition     = var.state_bucket_name == null ? true : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key ARN for the state objects. Null uses the AWS-managed aws/s3 key."
  type        = string
  default     = null
}

variable "noncurrent_version_expiration_days" {
  description = "Days old state versions are kept (recovery from a bad apply)."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
