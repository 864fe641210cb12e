# Region-specific values are in regions/<region>.tfvars; account-specific values have no
# defaults: set them as TF_VAR_* (the workflows pass them from the GitHub environment) or in an
# untracked *.auto.tfvars. See terraform/README.md.

variable "region" {
  description = "AWS region of this production instance (regions/<region>.tfvars sets it)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "primary_region" {
  description = "The production region whose resources carry the plain names; any other region adds a short region suffix to account-global names (IAM roles, dashboard)."
  type        = string
  default     = "us-east-1"
}

variable "vpc_cidr" {
  description = "CIDR block of this region's VPC (distinct per region, so the VPCs could be peered)."
  type        = string
}

variable "github_repository" {
  description = "GitHub repository (`owner/repo`) whose workflows plan and deploy production."
  type        = string
}

variable "state_bucket_name" {
  description = "Terraform state bucket created by terraform/bootstrap (the same as the backend's `bucket`)."
  type        = string
}

variable "ses_domain" {
  description = "Domain production sends email from, e.g. `notify.example.com` (verified separately in each region)."
  type        = string
}

variable "ses_mail_from_subdomain" {
  description = "Custom MAIL FROM subdomain (e.g. `mail`) for SPF alignment, or null. A second region uses `<subdomain>-<region suffix>` (e.g. `mail-usw2`): each region's MX names its own SES endpoint."
  type        = string
  default     = null
}

variable "ses_route53_zone_id" {
  description = "Route 53 zone of `ses_domain` to create the DKIM and MAIL FROM records in; null to publish them by hand."
  type        = string
  default     = null
}

variable "certificate_arn" {
  description = "ACM certificate (in this region) for the API's HTTPS listeners. Production has no plain-HTTP option."
  type        = string
}

variable "api_domain_name" {
  description = "DNS name of the production API in this region (pointed at this region's ALB, covered by `certificate_arn`). Required: production always has a certificate."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || var.api_domain_name != null
    error_message = "api_domain_name is required when certificate_arn is set: without it alb_url and test_listener_url are the ALB's *.elb.amazonaws.com name, which no ACM certificate covers, so every smoke test fails on TLS and the deploy rolls back. Set it to a name the certificate covers and point that name at the ALB."
  }
}

variable "alarm_email_addresses" {
  description = "Addresses that receive production's alarm notifications."
  type        = list(string)
  default     = []
}

variable "image_tag" {
  description = "Tag the first task definitions use; push both images with it before the first full apply. Later deploys are the pipeline's."
  type        = string
  default     = "bootstrap"
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider. False (default) looks it up: staging creates it when both share an account. Set true in the primary region if production has its own account; the second region always looks it up."
  type        = bool
  default     = false
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
  description = "Put the AWS WAF web ACL (AWS managed common and known-bad-input rules) in front of production's ALB. On by default; about 7 USD a month plus 0.60 USD per million requests (terraform/README.md)."
  type        = bool
  default     = true
}
