output "identity_arn" {
  description = "ARN of the domain identity."
  value       = aws_sesv2_email_identity.this.arn
}

output "domain" {
  description = "The verified sending domain."
  value       = aws_sesv2_email_identity.this.email_identity
}

output "from_address" {
  description = "Sender address of the worker (EMAIL_FROM)."
  value       = "${var.from_local_part}@${var.domain}"
}

output "configuration_set_name" {
  description = "Name of the configuration set (SES_CONFIGURATION_SET of the worker)."
  value       = aws_sesv2_configuration_set.this.configuration_set_name
}

output "configuration_set_arn" {
  description = "ARN of the configuration set."
  value       = aws_sesv2_configuration_set.this.arn
}

output "dkim_tokens" {
  description = "Easy DKIM tokens of the identity."
  value       = aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens
}

output "dkim_records" {
  description = "The three CNAME records (name, type, value) to publish for DKIM verification; created automatically when `route53_zone_id` is set."
  value       = local.dkim_records
}

output "mail_from_domain" {
  description = "Custom MAIL FROM domain, or null when SES's default is used."
  value       = local.mail_from_domain
}

output "mail_from_records" {
  description = "MX and SPF TXT records (name, type, value) to publish for the custom MAIL FROM domain; empty without one."
  value       = local.mail_from_records
}

output "event_bus_arn" {
  description = "ARN of the default EventBridge bus the sending events are published to, or null when the event destination is off."
  value       = var.create_event_destination ? data.aws_cloudwatch_event_bus.default[0].arn : null
}

output "event_types" {
  description = "SES event types the configuration set publishes."
  value       = var.event_types
}

output "sender_policy_json" {
  description = "IAM policy JSON for the sending role: ses:SendEmail on this identity and configuration set, ses:GetAccount for the sending quota."
  value       = data.aws_iam_policy_document.sender.json
}
