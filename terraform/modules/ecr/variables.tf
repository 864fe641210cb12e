variable "repository_names" {
  description = "Names of the repositories to create, one per service, e.g. [\"notify-api\", \"notify-worker\"]."
  type        = list(string)

  validation {
    condition     = length(var.repository_names) > 0 && length(distinct(var.repository_names)) == length(var.repository_names) && alltrue([for n in var.repository_names : can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", n)) && length(n) >= 2 && length(n) <= 256])
    error_message = "repository_names must be a non-empty list of distinct ECR names (2-256 lowercase letters, digits, ., _, - and / separators)."
  }
}

variable "encryption_type" {
  description = "Encryption at rest: KMS (the AWS-managed aws/ecr key, or `kms_key_arn`) or AES256."
  type        = string
  default     = "KMS"

  validation {
    condition     = contains(["KMS", "AES256"], var.encryption_type)
    error_message = "encryption_type must be KMS or AES256."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key ARN when `encryption_type` is KMS. Null uses the AWS-managed aws/ecr key."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || var.encryption_type == "KMS"
    error_message = "kms_key_arn needs encryption_type = \"KMS\"."
  }
}

variable "keep_last_images" {
  description = "Number of tagged images kept per repository; older ones expire (rollback targets must stay within this window)."
  type        = number
  default     = 30

  validation {
    condition     = var.keep_last_images >= 1 && floor(var.keep_last_images) == var.keep_last_images
    error_message = "keep_last_images must be a whole number of at least 1."
  }
}

variable "untagged_image_expiry_days" {
  description = "Days after which untagged images (dangling layers of rebuilt tags) expire."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_image_expiry_days >= 1 && floor(var.untagged_image_expiry_days) == var.untagged_image_expiry_days
    error_message = "untagged_image_expiry_days must be a whole number of at least 1."
  }
}

variable "force_delete" {
  description = "Allow destroying repositories that still hold images."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
