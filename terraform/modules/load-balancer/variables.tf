variable "name" {
  description = "Name of the load balancer and prefix of its target groups (`<name>-blue`, `<name>-green`), e.g. `notify-staging-api`."
  type        = string

  validation {
    # Target group names are limited to 32 characters and get a "-green" suffix.
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,25}$", var.name)) && !endswith(var.name, "-")
    error_message = "name must be 1-26 letters, digits or hyphens, not ending in a hyphen (target group names get a -green suffix and are limited to 32 characters)."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the load balancer and its target groups live in."
  type        = string
}

variable "subnet_ids" {
  description = "Public subnet IDs (at least two AZs) to place the load balancer in."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must hold at least two subnets in different availability zones."
  }
}

variable "certificate_arn" {
  description = "ACM certificate ARN for the HTTPS listeners. Null requires `allow_plain_http = true` and serves plain HTTP (first deploy without a certificate)."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null ? true : can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:...)."
  }

  validation {
    condition     = var.certificate_arn != null || var.allow_plain_http
    error_message = "certificate_arn is null: set an ACM certificate ARN, or set allow_plain_http = true to knowingly serve plain HTTP."
  }
}

variable "allow_plain_http" {
  description = "Explicit opt-in to plain-HTTP listeners when no certificate is given. Ignored when `certificate_arn` is set (HTTP then redirects to HTTPS)."
  type        = bool
  default     = false
}

variable "ssl_policy" {
  description = "TLS security policy of the HTTPS listeners (TLS 1.2+ only)."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = can(regex("^ELBSecurityPolicy-TLS13-1-[23]-", var.ssl_policy)) || can(regex("^ELBSecurityPolicy-TLS-1-2-", var.ssl_policy)) || can(regex("^ELBSecurityPolicy-FS-1-2-", var.ssl_policy))
    error_message = "ssl_policy must be a TLS 1.2+ policy (ELBSecurityPolicy-TLS13-1-2-*, ELBSecurityPolicy-TLS13-1-3-*, ELBSecurityPolicy-TLS-1-2-*, ELBSecurityPolicy-FS-1-2-*)."
  }
}

variable "test_listener_port" {
  description = "Port of the blue/green test listener (the pipeline smoke-tests the green tasks here before traffic shifts). Null picks 8443 with HTTPS, 8080 with plain HTTP."
  type        = number
  default     = null

  validation {
    condition     = var.test_listener_port == null ? true : var.test_listener_port >= 1024 && var.test_listener_port <= 65535
    error_message = "test_listener_port must be between 1024 and 65535."
  }
}

variable "ingress_cidr_blocks" {
  description = "IPv4 CIDR blocks allowed to reach the production listener(s) (80/443)."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for c in var.ingress_cidr_blocks : can(cidrhost(c, 0))])
    error_message = "ingress_cidr_blocks must hold valid IPv4 CIDR blocks."
  }
}

variable "test_listener_cidr_blocks" {
  description = "IPv4 CIDR blocks always allowed to reach the test listener (e.g. a self-hosted runner's range). Default none: the test listener serves green tasks that are not approved yet, and the deploy pipeline opens the runner's /32 only around its smoke test."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.test_listener_cidr_blocks : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "test_listener_cidr_blocks must hold valid IPv4 CIDR blocks, not 0.0.0.0/0 (green tasks are not approved yet)."
  }
}

variable "target_port" {
  description = "Container port the target groups forward to (the API listens on 3000)."
  type        = number
  default     = 3000

  validation {
    condition     = var.target_port >= 1 && var.target_port <= 65535
    error_message = "target_port must be between 1 and 65535."
  }
}

variable "health_check" {
  description = "Target group health check (readiness). Defaults check `/readyz` every 10 s."
  type = object({
    path                = optional(string, "/readyz")
    matcher             = optional(string, "200")
    interval            = optional(number, 10)
    timeout             = optional(number, 5)
    healthy_threshold   = optional(number, 2)
    unhealthy_threshold = optional(number, 3)
  })
  default = {}

  validation {
    condition     = startswith(var.health_check.path, "/") && var.health_check.timeout < var.health_check.interval
    error_message = "health_check.path must start with / and health_check.timeout must be shorter than health_check.interval."
  }
}

variable "deregistration_delay" {
  description = "Seconds the target groups keep draining a deregistered target (longer than the API's slowest request)."
  type        = number
  default     = 30

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600
    error_message = "deregistration_delay must be between 0 and 3600 seconds."
  }
}

variable "idle_timeout" {
  description = "Idle connection timeout of the load balancer in seconds."
  type        = number
  default     = 60
}

variable "enable_deletion_protection" {
  description = "Protect the load balancer from deletion (turn on in production)."
  type        = bool
  default     = true
}

variable "access_logs_prefix" {
  description = "Key prefix of the access logs in the log bucket."
  type        = string
  default     = "alb"

  validation {
    condition     = length(var.access_logs_prefix) > 0 && !startswith(var.access_logs_prefix, "/") && !endswith(var.access_logs_prefix, "/") && !strcontains(lower(var.access_logs_prefix), "awslogs")
    error_message = "access_logs_prefix must be non-empty, must not start or end with / and must not contain AWSLogs."
  }
}

variable "access_logs_retention_days" {
  description = "Days after which access log objects expire."
  type        = number
  default     = 90

  validation {
    condition     = var.access_logs_retention_days >= 1
    error_message = "access_logs_retention_days must be at least 1."
  }
}

variable "access_logs_force_destroy" {
  description = "Allow destroying the access log bucket while it still holds logs (staging teardown)."
  type        = bool
  default     = false
}

variable "create_waf" {
  description = "Put an AWS WAF web ACL (AWS managed common and known-bad-input rule groups, logged to `aws-waf-logs-<name>`) in front of the load balancer. About 7 USD a month plus 0.60 USD per million requests; see the README."
  type        = bool
  default     = true
}

variable "waf_count_only_rules" {
  description = "Rules of AWSManagedRulesCommonRuleSet that only count instead of blocking. SizeRestrictions_BODY by default: it blocks bodies over 8 KB, and the API accepts larger ones (HTML emails)."
  type        = list(string)
  default     = ["SizeRestrictions_BODY"]

  validation {
    # WAF silently ignores an override whose name matches no rule of a managed group: spell
    # names exactly as the rule group lists them.
    condition     = alltrue([for rule in var.waf_count_only_rules : can(regex("^[0-9A-Za-z_-]{1,128}$", rule))])
    error_message = "waf_count_only_rules must hold rule names of AWSManagedRulesCommonRuleSet (letters, digits, _ and -), e.g. SizeRestrictions_BODY."
  }
}

variable "waf_log_retention_in_days" {
  description = "Retention of the WAF log group (blocked and counted requests only)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.waf_log_retention_in_days)
    error_message = "waf_log_retention_in_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "waf_log_kms_key_arn" {
  description = "Customer-managed KMS key for the WAF log group; its key policy must allow logs.<region>.amazonaws.com. Null keeps CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
