# Account-specific values have no defaults: set them as TF_VAR_* (the workflows pass them from
# GitHub environment variables) or in an untracked *.auto.tfvars. See terraform/README.md.

variable "region" {
  description = "AWS region of the staging environment."
  type        = string
  default     = "us-east-1"
}

variable "github_repository" {
  description = "GitHub repository (`owner/repo`) whose workflows plan and deploy staging."
  type        = string
}

variable "state_bucket_name" {
  description = "Terraform state bucket created by terraform/bootstrap (the same as the backend's `bucket`)."
  type        = string
}

variable "ses_domain" {
  description = "Domain staging sends email from, e.g. `staging.notify.example.com`."
  type        = string
}

variable "ses_route53_zone_id" {
  description = "Route 53 zone of `ses_domain` to create the DKIM records in; null to publish them by hand."
  type        = string
  default     = null
}

variable "certificate_arn" {
  description = "ACM certificate for the API's HTTPS listeners; null needs `allow_plain_http = true`."
  type        = string
  default     = null
}

variable "allow_plain_http" {
  description = "Serve plain HTTP until a certificate exists (first deploy only)."
  type        = bool
  default     = false
}

variable "api_domain_name" {
  description = "DNS name of the staging API (pointed at the ALB, covered by the certificate); required with `certificate_arn`, null (plain HTTP only) publishes the ALB's DNS name."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || var.api_domain_name != null
    error_message = "api_domain_name is required when certificate_arn is set: without it alb_url and test_listener_url are the ALB's *.elb.amazonaws.com name, which no ACM certificate covers, so every smoke test fails on TLS and the deploy rolls back. Set it to a name the certificate covers and point that name at the ALB."
  }
}

variable "alarm_email_addresses" {
  description = "Addresses that receive staging's alarm notifications."
  type        = list(string)
  default     = []
}

variable "image_tag" {
  description = "Tag the first task definitions use; push both images with it before the first full apply. Later deploys are the pipeline's."
  type        = string
  default     = "bootstrap"
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider here (staging is applied first; production in the same account looks it up)."
  type        = bool
  default     = true
}

variable "queue_operator_role_arns" {
  description = "Roles allowed to inspect and redrive the dead-letter queue (e.g. an SSO admin role, wildcards allowed)."
  type        = list(string)
  default     = []
}

variable "log_kms_key_arn" {
  description = "Customer-managed KMS key for the log groups, or null for CloudWatch Logs' own encryption (see modules/platform)."
  type        = string
  default     = null
}

variable "create_waf" {
  description = "Put the AWS WAF web ACL (AWS managed common and known-bad-input rules) in front of staging's ALB. Off by default to save its fixed cost on pre-production traffic; turn it on to try a rule change before production gets it."
  type        = bool
  default     = false
}
