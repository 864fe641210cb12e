variable "name" {
  description = "Name prefix, e.g. `notify-staging`: rule `<name>-ses-events`, queue `<name>-ses-events`, DLQ `<name>-ses-events-dlq`."
  type        = string

  validation {
    # EventBridge rule names stop at 64 characters; "-ses-events" takes 11.
    condition     = can(regex("^[A-Za-z0-9_-]{1,53}$", var.name))
    error_message = "name must be 1-53 characters of letters, digits, hyphens and underscores."
  }
}

variable "configuration_set_name" {
  description = "SES configuration set whose events the rule takes (`mail.tags[\"ses:configuration-set\"]`)."
  type        = string
}

variable "event_types" {
  description = "SES event types the configuration set publishes (its event destination's matching_event_types); the rule matches their EventBridge detail-types."
  type        = list(string)

  validation {
    condition = length(var.event_types) > 0 && alltrue([
      for t in var.event_types : contains(["SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "OPEN", "CLICK", "RENDERING_FAILURE", "DELIVERY_DELAY", "SUBSCRIPTION"], t)
    ])
    error_message = "event_types must be a non-empty list of SES event types: SEND, REJECT, BOUNCE, COMPLAINT, DELIVERY, OPEN, CLICK, RENDERING_FAILURE, DELIVERY_DELAY, SUBSCRIPTION."
  }
}

variable "consumer_role_arns" {
  description = "IAM role ARNs of the status consumer (email-sender's task role): receive/delete/change visibility on the queue, and send poison events to the DLQ."
  type        = list(string)
}

variable "operator_role_arns" {
  description = "Roles (wildcards allowed) exempt from the queues' send/receive restrictions, for inspecting and redriving the DLQ."
  type        = list(string)
  default     = []
}

variable "max_receive_count" {
  description = "Receives before SQS moves an event the consumer keeps failing on to the DLQ."
  type        = number
  default     = 5
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout of the events queue: longer than the consumer's handling of one batch (a few DynamoDB writes)."
  type        = number
  default     = 60
}

variable "maximum_event_age_in_seconds" {
  description = "How long EventBridge keeps retrying delivery of an event to the queue before it goes to the DLQ (60 to 86400)."
  type        = number
  default     = 86400

  validation {
    condition     = var.maximum_event_age_in_seconds >= 60 && var.maximum_event_age_in_seconds <= 86400
    error_message = "maximum_event_age_in_seconds must be from 60 to 86400."
  }
}

variable "maximum_retry_attempts" {
  description = "Delivery retries EventBridge makes before the event goes to the DLQ (0 to 185)."
  type        = number
  default     = 185

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 185
    error_message = "maximum_retry_attempts must be from 0 to 185."
  }
}

variable "tags" {
  description = "Tags added to the rule and both queues."
  type        = map(string)
  default     = {}
}
