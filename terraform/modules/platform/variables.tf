################################################################################
# Identity
################################################################################

variable "project" {
  description = "Project name, the first part of every resource name (`<project>-<environment>-<component>`)."
  type        = string
  default     = "notify"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.project))
    error_message = "project must be 2-12 lowercase letters and digits, starting with a letter (names must fit AWS length limits)."
  }
}

variable "environment" {
  description = "Environment name (`staging`, `production`); also the GitHub environment whose jobs may deploy it."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.environment))
    error_message = "environment must be 2-12 lowercase letters and digits, starting with a letter."
  }
}

variable "region_suffix" {
  description = "Extra name part for a second region of the same environment (e.g. `usw2`), so that account-global names (IAM roles, dashboards) do not collide. Null in the primary region."
  type        = string
  default     = null

  validation {
    condition     = var.region_suffix == null || can(regex("^[a-z0-9]{2,6}$", var.region_suffix))
    error_message = "region_suffix must be 2-6 lowercase letters and digits, or null."
  }
}

variable "tags" {
  description = "Extra tags for every resource (Project and Environment are added)."
  type        = map(string)
  default     = {}
}

################################################################################
# Network
################################################################################

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "az_count" {
  description = "Availability zones to use (2 or 3)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all AZs (cheaper; staging) instead of one per AZ (production)."
  type        = bool
  default     = false
}

variable "create_vpc_endpoints" {
  description = "Create the S3 gateway and the ECR, Logs, SQS and Secrets Manager interface endpoints (less NAT traffic; each interface endpoint costs per AZ-hour)."
  type        = bool
  default     = false
}

variable "log_retention_in_days" {
  description = "Retention of the services' and the VPC flow logs' log groups (production: 365)."
  type        = number
  default     = 30
}

variable "log_kms_key_arn" {
  description = "Customer-managed KMS key for the services' and the VPC flow logs' log groups, or null for CloudWatch Logs' own encryption. Its key policy must allow logs.<region>.amazonaws.com (kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe*) for this account's log groups."
  type        = string
  default     = null
}

################################################################################
# Load balancer
################################################################################

variable "certificate_arn" {
  description = "ACM certificate ARN for the API's HTTPS listeners. Null requires `allow_plain_http`."
  type        = string
  default     = null
}

variable "allow_plain_http" {
  description = "Serve plain HTTP when there is no certificate yet (a first deploy only)."
  type        = bool
  default     = false
}

variable "api_domain_name" {
  description = "DNS name clients use for the API (a CNAME/alias to the ALB, matching the certificate). Required with `certificate_arn`; null (plain HTTP only) uses the ALB's own DNS name in the published URLs."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || var.api_domain_name != null
    error_message = "api_domain_name is required when certificate_arn is set: without it alb_url and test_listener_url are the ALB's *.elb.amazonaws.com name, which no ACM certificate covers, so every smoke test fails on TLS and the deploy rolls back. Set it to a name the certificate covers and point that name at the ALB."
  }
}

variable "alb_ingress_cidr_blocks" {
  description = "CIDR blocks allowed to reach the API's listeners."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "test_listener_cidr_blocks" {
  description = "CIDR blocks always allowed to reach the blue/green test listener (e.g. a self-hosted runner range). Default none: the deploy pipeline opens the runner's /32 only around its smoke test."
  type        = list(string)
  default     = []
}

variable "alb_deletion_protection" {
  description = "Protect the ALB from deletion (production)."
  type        = bool
  default     = true
}

variable "create_waf" {
  description = "Put an AWS WAF web ACL (AWS managed common and known-bad-input rules) in front of the ALB, logging blocked and counted requests to `aws-waf-logs-<api>` (retention and key from log_retention_in_days and log_kms_key_arn). About 7 USD a month plus 0.60 USD per million requests."
  type        = bool
  default     = true
}

variable "force_destroy_log_buckets" {
  description = "Allow destroying the ALB access-log bucket while it holds logs (staging teardown)."
  type        = bool
  default     = false
}

################################################################################
# Services
################################################################################

variable "image_tag" {
  description = "Image tag the task definitions are created with. Deploys register later revisions and Terraform ignores them, so this matters only for the first apply (push images with this tag first)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a valid image tag other than \"latest\" (the repositories are immutable), e.g. a commit SHA."
  }
}

variable "api" {
  description = "Size and scaling of notification-api."
  type = object({
    cpu       = optional(number, 256)
    memory    = optional(number, 512)
    min_tasks = optional(number, 2)
    max_tasks = optional(number, 10)
  })
  default = {}
}

variable "worker" {
  description = "Size and scaling of email-sender. `target_backlog_per_task` = acceptable queue delay / seconds per message per task; `use_fargate_spot` runs all but one task on Spot (the worker is interruption-safe: SQS redelivers)."
  type = object({
    cpu                     = optional(number, 256)
    memory                  = optional(number, 512)
    min_tasks               = optional(number, 2)
    max_tasks               = optional(number, 10)
    target_backlog_per_task = optional(number, 100)
    use_fargate_spot        = optional(bool, false)
  })
  default = {}
}

################################################################################
# Queue, idempotency store and notification status
################################################################################

variable "queue_max_receive_count" {
  description = "Receives before SQS moves a message to the dead-letter queue."
  type        = number
  default     = 5
}

variable "queue_visibility_timeout_seconds" {
  description = "Visibility timeout of the queue; the worker extends it while a send is in progress."
  type        = number
  default     = 60
}

variable "queue_operator_role_arns" {
  description = "Roles (wildcards allowed) exempt from the queues' send/receive restrictions, for inspecting and redriving the DLQ."
  type        = list(string)
  default     = []
}

variable "idempotency_deletion_protection" {
  description = "Protect the idempotency table from deletion."
  type        = bool
  default     = true
}

variable "status_deletion_protection" {
  description = "Protect the notification status table from deletion."
  type        = bool
  default     = true
}

variable "status_retention_days" {
  description = "Days a notification's status and events are kept and served (STATUS_RETENTION_DAYS of both services; DynamoDB TTL removes them afterwards)."
  type        = number
  default     = 30

  validation {
    condition     = var.status_retention_days >= 1 && var.status_retention_days <= 3650 && floor(var.status_retention_days) == var.status_retention_days
    error_message = "status_retention_days must be a whole number from 1 to 3650."
  }
}

variable "secret_recovery_window_in_days" {
  description = "Recovery window of the API token secret (0 = delete at once, for throwaway environments)."
  type        = number
  default     = 30
}

################################################################################
# Email
################################################################################

variable "ses_domain" {
  description = "Domain the worker sends from (an SES identity is created and must be verified through DNS)."
  type        = string
}

variable "email_from_local_part" {
  description = "Local part of the sender address (`<local>@<ses_domain>`)."
  type        = string
  default     = "no-reply"
}

variable "ses_mail_from_subdomain" {
  description = "Subdomain of a custom MAIL FROM domain (e.g. `mail`), or null."
  type        = string
  default     = null
}

variable "ses_route53_zone_id" {
  description = "Route 53 zone of `ses_domain`; when set, the DKIM and MAIL FROM records are created there."
  type        = string
  default     = null
}

################################################################################
# Monitoring
################################################################################

variable "alarm_email_addresses" {
  description = "Addresses that receive alarm notifications."
  type        = list(string)
  default     = []
}

################################################################################
# Blue/green deployment of the API
################################################################################

variable "deployment_config_name" {
  description = "CodeDeploy traffic shifting of the API (all at once, canary or linear)."
  type        = string
  default     = "CodeDeployDefault.ECSAllAtOnce"
}

variable "ready_wait_time_in_minutes" {
  description = "Minutes a deployment waits at Ready for the pipeline's smoke test before it stops and rolls back."
  type        = number
  default     = 30
}

variable "termination_wait_time_in_minutes" {
  description = "Minutes the old (blue) tasks keep running after the traffic shift (fast rollback window)."
  type        = number
  default     = 5
}

################################################################################
# CI access (GitHub OIDC)
################################################################################

variable "github_repository" {
  description = "The GitHub repository (`owner/repo`) whose workflows plan and deploy this environment."
  type        = string
}

variable "allow_main_branch_deploys" {
  description = "Trust deploy jobs on the main branch as well as the GitHub environment (staging: merge to main deploys)."
  type        = bool
  default     = false
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (once per account); false looks up the existing one."
  type        = bool
  default     = true
}

variable "state_bucket_name" {
  description = "Terraform state bucket (from the bootstrap root), for the CI roles' state access."
  type        = string
}

variable "state_kms_key_arn" {
  description = "Customer-managed KMS key of the state bucket, or null."
  type        = string
  default     = null
}
