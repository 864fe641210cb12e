################################################################################
# Optional AWS WAF web ACL in front of the load balancer (create_waf)
################################################################################

locals {
  waf_name = "${var.name}-waf"
}

resource "aws_wafv2_web_acl" "this" {
  count = var.create_waf ? 1 : 0

  name        = local.waf_name
  description = "AWS managed common and known-bad-input rules in front of ${var.name}"
  scope       = "REGIONAL" # an ALB's web ACL lives in the ALB's region

  default_action {
    allow {}
  }

  # OWASP-style protections (XSS, LFI/RFI, bad bots' user agents, oversized URIs and headers).
  rule {
    name     = "aws-common-rule-set"
    priority = 10

    # Keep the managed group's own block/count actions.
    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"

        # SizeRestrictions_BODY blocks every body over 8 KB, the most an ALB forwards to WAF for
        # inspection; the API accepts up to BODY_LIMIT_BYTES (256 KiB by default, HTML emails up
        # to 90 KiB), so it only counts by default. The API validates every body itself.
        dynamic "rule_action_override" {
          for_each = toset(var.waf_count_only_rules)

          content {
            name = rule_action_override.value

            action_to_use {
              count {}
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${local.waf_name}-common"
      sampled_requests_enabled   = true
    }
  }

  # Request patterns of known exploits, Log4j's JNDI lookups among them (CKV_AWS_192).
  rule {
    name     = "aws-known-bad-inputs"
    priority = 20

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${local.waf_name}-known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = local.waf_name
    sampled_requests_enabled   = true
  }

  tags = merge(var.tags, { Name = local.waf_name })
}

resource "aws_wafv2_web_acl_association" "this" {
  count = var.create_waf ? 1 : 0

  resource_arn = aws_lb.this.arn
  web_acl_arn  = aws_wafv2_web_acl.this[0].arn
}

# WAF delivers only to log groups named aws-waf-logs-*, and adds the log group's resource policy
# for its log delivery itself.
resource "aws_cloudwatch_log_group" "waf" {
  count = var.create_waf ? 1 : 0

  name              = "aws-waf-logs-${var.name}"
  retention_in_days = var.waf_log_retention_in_days
  # CloudWatch Logs encrypts every log group; a customer-managed key is optional.
  #checkov:skip=CKV_AWS_158:waf_log_kms_key_arn is optional: the key's policy must grant logs.<region>.amazonaws.com, so the module cannot create a working default; null keeps CloudWatch's own encryption
  #trivy:ignore:AVD-AWS-0017
  kms_key_id = var.waf_log_kms_key_arn

  tags = merge(var.tags, { Name = "aws-waf-logs-${var.name}" })
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  count = var.create_waf ? 1 : 0

  resource_arn            = aws_wafv2_web_acl.this[0].arn
  log_destination_configs = [aws_cloudwatch_log_group.waf[0].arn]

  # Clients send their API token as a bearer token: it never reaches the log.
  redacted_fields {
    single_header {
      name = "authorization"
    }
  }

  # Only what a rule blocked or counted: every request is in the ALB access logs already, and
  # WAF log ingestion is billed per GB.
  logging_filter {
    default_behavior = "DROP"

    filter {
      behavior    = "KEEP"
      requirement = "MEETS_ANY"

      condition {
        action_condition {
          action = "BLOCK"
        }
      }

      # A managed rule overridden to count (waf_count_only_rules) logs as EXCLUDED_AS_COUNT.
      condition {
        action_condition {
          action = "EXCLUDED_AS_COUNT"
        }
      }
    }
  }
}
