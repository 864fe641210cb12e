variable "name" {
  description = "Name prefix of the topic, key alias, alarms and dashboard, e.g. `notify-staging`."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,60}$", var.name))
    error_message = "name must be 2-61 characters of lowercase letters, digits and hyphens."
  }
}

variable "environment" {
  description = "Environment name, the `Environment` dimension of the services' EMF metrics (e.g. `staging`)."
  type        = string

  validation {
    condition     = length(var.environment) > 0
    error_message = "environment must not be empty."
  }
}

variable "alarm_email_addresses" {
  description = "Email addresses subscribed to the alerts topic (each must confirm the subscription email)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alarm_email_addresses must hold email addresses."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key ARN for the alerts topic. Its policy must let cloudwatch.amazonaws.com use it. Null creates a key for this module."
  type        = string
  default     = null
}

variable "kms_key_service_principals" {
  description = "AWS service principals allowed to publish to topics under the created key (CloudWatch alarms; add ses.amazonaws.com when SES event topics use it too)."
  type        = list(string)
  default     = ["cloudwatch.amazonaws.com"]

  validation {
    condition     = alltrue([for p in var.kms_key_service_principals : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", p))])
    error_message = "kms_key_service_principals must hold service principals such as cloudwatch.amazonaws.com."
  }
}

variable "cluster_name" {
  description = "Name of the ECS cluster running both services."
  type        = string
}

variable "api_service_name" {
  description = "ECS service name of notification-api."
  type        = string
}

variable "worker_service_name" {
  description = "ECS service name of email-sender."
  type        = string
}

variable "load_balancer_arn_suffix" {
  description = "ARN suffix of the ALB (`app/<name>/<id>`), the LoadBalancer dimension."
  type        = string
}

variable "target_group_arn_suffixes" {
  description = "ARN suffixes of the API's blue and green target groups (`targetgroup/<name>/<id>`), keyed by a short label."
  type        = map(string)

  validation {
    condition     = length(var.target_group_arn_suffixes) > 0
    error_message = "target_group_arn_suffixes must name at least one target group."
  }
}

variable "queue_name" {
  description = "Name of the notification queue."
  type        = string
}

variable "dlq_name" {
  description = "Name of the dead-letter queue."
  type        = string
}

variable "events_queue_name" {
  description = "Name of the SES events queue (EventBridge -> status consumer)."
  type        = string
}

variable "events_dlq_name" {
  description = "Name of the SES events dead-letter queue: events EventBridge could not deliver and poison events the consumer set aside."
  type        = string
}

variable "events_rule_name" {
  description = "Name of the EventBridge rule routing SES events to the events queue (RuleName dimension of AWS/Events)."
  type        = string
}

variable "ses_bounce_rate_threshold" {
  description = "Account bounce rate (AWS/SES Reputation.BounceRate, a fraction) above which the alarm fires. AWS reviews an account at 5% and may pause sending at about 10%: alarm well before."
  type        = number
  default     = 0.05

  validation {
    condition     = var.ses_bounce_rate_threshold > 0 && var.ses_bounce_rate_threshold < 0.1
    error_message = "ses_bounce_rate_threshold must be a fraction above 0 and below 0.1 (AWS pauses sending at about 10%)."
  }
}

variable "ses_complaint_rate_threshold" {
  description = "Account complaint rate (AWS/SES Reputation.ComplaintRate, a fraction) above which the alarm fires. AWS reviews an account at 0.1% and may pause sending at about 0.5%: alarm well before."
  type        = number
  default     = 0.001

  validation {
    condition     = var.ses_complaint_rate_threshold > 0 && var.ses_complaint_rate_threshold < 0.005
    error_message = "ses_complaint_rate_threshold must be a fraction above 0 and below 0.005 (AWS pauses sending at about 0.5%)."
  }
}

variable "cpu_threshold_percent" {
  description = "ECS service average CPU above which the CPU alarm fires (after 10 minutes)."
  type        = number
  default     = 80

  validation {
    condition     = var.cpu_threshold_percent > 0 && var.cpu_threshold_percent <= 100
    error_message = "cpu_threshold_percent must be in (0, 100]."
  }
}

variable "memory_threshold_percent" {
  description = "ECS service average memory above which the memory alarm fires."
  type        = number
  default     = 80

  validation {
    condition     = var.memory_threshold_percent > 0 && var.memory_threshold_percent <= 100
    error_message = "memory_threshold_percent must be in (0, 100]."
  }
}

variable "target_5xx_threshold" {
  description = "Target 5XX responses in 5 minutes above which the 5XX alarm fires."
  type        = number
  default     = 10

  validation {
    condition     = var.target_5xx_threshold >= 0
    error_message = "target_5xx_threshold must not be negative."
  }
}

variable "response_time_threshold_seconds" {
  description = "Target response time (at `response_time_statistic`) above which the latency alarm fires."
  type        = number
  default     = 1

  validation {
    condition     = var.response_time_threshold_seconds > 0
    error_message = "response_time_threshold_seconds must be positive."
  }
}

variable "response_time_statistic" {
  description = "Percentile of TargetResponseTime the latency alarm watches, e.g. p95 or p99."
  type        = string
  default     = "p95"

  validation {
    condition     = can(regex("^p(\\d{1,2}(\\.\\d{1,2})?|100)$", var.response_time_statistic))
    error_message = "response_time_statistic must be a percentile such as p95 or p99.9."
  }
}

variable "queue_oldest_message_age_threshold_seconds" {
  description = "Age of the oldest queued message above which the backlog alarm fires."
  type        = number
  default     = 300

  validation {
    condition     = var.queue_oldest_message_age_threshold_seconds > 0
    error_message = "queue_oldest_message_age_threshold_seconds must be positive."
  }
}

variable "worker_failed_threshold" {
  description = "Failed sends (EMF metric) in 5 minutes above which the worker failure alarm fires; it also rolls back a worker deployment."
  type        = number
  default     = 5

  validation {
    condition     = var.worker_failed_threshold >= 0
    error_message = "worker_failed_threshold must not be negative."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the services' EMF metrics."
  type        = string
  default     = "Notify"
}


variable "api_metric_service" {
  description = "`Service` dimension value of notification-api's EMF metrics."
  type        = string
  default     = "notification-api"
}

variable "worker_metric_service" {
  description = "`Service` dimension value of email-sender's EMF metrics."
  type        = string
  default     = "email-sender"
}

variable "worker_metric_names" {
  description = "Names of email-sender's EMF metrics shown on the dashboard; `failed` also drives the failure alarm."
  type = object({
    sent            = optional(string, "Sent")
    failed          = optional(string, "Failed")
    retried         = optional(string, "Retried")
    dead_lettered   = optional(string, "DeadLettered")
    processing_time = optional(string, "ProcessingTime")
    ses_latency     = optional(string, "SesLatency")
  })
  default = {}
}

variable "status_metric_names" {
  description = "Names of the status consumer's EMF metrics (email-sender): `events` per SES event processed (EventType dimension), `transitions` per status change (To dimension), `write_failed` per store write that failed."
  type = object({
    events       = optional(string, "StatusEvents")
    transitions  = optional(string, "StatusTransitions")
    write_failed = optional(string, "StatusWriteFailed")
  })
  default = {}
}

variable "api_metric_names" {
  description = "Names of notification-api's EMF metrics shown on the dashboard."
  type = object({
    accepted        = optional(string, "Accepted")
    rejected        = optional(string, "Rejected")
    enqueue_latency = optional(string, "EnqueueLatency")
  })
  default = {}
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
