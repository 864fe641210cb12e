variable "domain" {
  description = "Domain to send from, verified as an SES v2 identity with Easy DKIM, e.g. `notify.example.com`."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain))
    error_message = "domain must be a lowercase DNS domain name such as notify.example.com."
  }
}

variable "from_local_part" {
  description = "Local part of the sender address; the worker sends as `<from_local_part>@<domain>` (EMAIL_FROM)."
  type        = string
  default     = "no-reply"

  validation {
    condition     = can(regex("^[A-Za-z0-9._+-]{1,64}$", var.from_local_part))
    error_message = "from_local_part must be 1-64 characters of letters, digits and ._+-."
  }
}

variable "configuration_set_name" {
  description = "Name of the configuration set every send uses (SES_CONFIGURATION_SET of the worker), e.g. `notify-staging`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.configuration_set_name))
    error_message = "configuration_set_name must be 1-64 characters of letters, digits, hyphens and underscores."
  }
}

variable "dkim_signing_key_length" {
  description = "Length of the Easy DKIM signing key: RSA_2048_BIT or RSA_1024_BIT."
  type        = string
  default     = "RSA_2048_BIT"

  validation {
    condition     = contains(["RSA_2048_BIT", "RSA_1024_BIT"], var.dkim_signing_key_length)
    error_message = "dkim_signing_key_length must be RSA_2048_BIT or RSA_1024_BIT."
  }
}

variable "tls_policy" {
  description = "REQUIRE refuses to deliver to a receiving server without TLS; OPTIONAL falls back to plain SMTP."
  type        = string
  default     = "REQUIRE"

  validation {
    condition     = contains(["REQUIRE", "OPTIONAL"], var.tls_policy)
    error_message = "tls_policy must be REQUIRE or OPTIONAL."
  }
}

variable "suppressed_reasons" {
  description = "Bounce/complaint reasons that put an address on the configuration set's suppression list, so it is not mailed again."
  type        = list(string)
  default     = ["BOUNCE", "COMPLAINT"]

  validation {
    condition     = alltrue([for r in var.suppressed_reasons : contains(["BOUNCE", "COMPLAINT"], r)])
    error_message = "suppressed_reasons entries must be BOUNCE or COMPLAINT."
  }
}

variable "mail_from_subdomain" {
  description = "Subdomain for a custom MAIL FROM (e.g. `mail` gives `mail.<domain>`), so SPF aligns for DMARC. Null keeps SES's amazonses.com MAIL FROM."
  type        = string
  default     = null

  validation {
    condition     = var.mail_from_subdomain == null || can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.mail_from_subdomain))
    error_message = "mail_from_subdomain must be a single lowercase DNS label such as \"mail\"."
  }
}

variable "create_event_destination" {
  description = "Publish the configuration set's sending events to the default EventBridge bus (notification status tracking reads them from there)."
  type        = bool
  default     = true
}

variable "event_types" {
  description = "Sending events published to EventBridge. The default is every event the status model uses; OPEN, CLICK and SUBSCRIPTION say nothing about delivery."
  type        = list(string)
  default     = ["SEND", "DELIVERY", "DELIVERY_DELAY", "BOUNCE", "COMPLAINT", "REJECT", "RENDERING_FAILURE"]

  validation {
    condition = length(var.event_types) > 0 && alltrue([
      for t in var.event_types : contains(["SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "OPEN", "CLICK", "RENDERING_FAILURE", "DELIVERY_DELAY", "SUBSCRIPTION"], t)
    ])
    error_message = "event_types must be a non-empty list of SES event types: SEND, REJECT, BOUNCE, COMPLAINT, DELIVERY, OPEN, CLICK, RENDERING_FAILURE, DELIVERY_DELAY, SUBSCRIPTION."
  }
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone of `domain`. When set, the DKIM CNAMEs and the MAIL FROM MX/SPF records are created there; null means they are created by hand from the outputs."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
