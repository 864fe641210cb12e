locals {
  mail_from_domain = var.mail_from_subdomain == null ? null : "${var.mail_from_subdomain}.${var.domain}"
}

data "aws_region" "current" {}

resource "aws_sesv2_configuration_set" "this" {
  configuration_set_name = var.configuration_set_name

  delivery_options {
    tls_policy = var.tls_policy
  }

  reputation_options {
    reputation_metrics_enabled = true
  }

  sending_options {
    sending_enabled = true
  }

  suppression_options {
    suppressed_reasons = var.suppressed_reasons
  }

  tags = var.tags
}

# Easy DKIM: SES generates the key pair and rotates it; the domain publishes three CNAMEs.
resource "aws_sesv2_email_identity" "this" {
  email_identity         = var.domain
  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name

  dkim_signing_attributes {
    next_signing_key_length = var.dkim_signing_key_length
  }

  tags = var.tags
}

resource "aws_sesv2_email_identity_mail_from_attributes" "this" {
  count = local.mail_from_domain == null ? 0 : 1

  email_identity         = aws_sesv2_email_identity.this.email_identity
  mail_from_domain       = local.mail_from_domain
  behavior_on_mx_failure = "USE_DEFAULT_VALUE"
}

locals {
  dkim_records = [
    for token in aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens : {
      name  = "${token}._domainkey.${var.domain}"
      type  = "CNAME"
      value = "${token}.dkim.amazonses.com"
    }
  ]

  mail_from_records = local.mail_from_domain == null ? [] : [
    {
      name  = local.mail_from_domain
      type  = "MX"
      value = "10 feedback-smtp.${data.aws_region.current.region}.amazonses.com"
    },
    {
      name  = local.mail_from_domain
      type  = "TXT"
      value = "v=spf1 include:amazonses.com ~all"
    },
  ]
}
