# Sending events (delivery, bounce, complaint, ...) go to an SNS topic so that status tracking
# can subscribe later (for example an SQS queue) without touching the sending path.

resource "aws_sns_topic" "events" {
  count = var.create_event_destination ? 1 : 0

  name              = "${var.configuration_set_name}-ses-events"
  kms_master_key_id = var.events_kms_key_arn

  tags = var.tags
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "events" {
  count = var.create_event_destination ? 1 : 0

  statement {
    sid       = "AllowSesPublishFromConfigurationSet"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.events[0].arn]

    principals {
      type        = "Service"
      identifiers = ["ses.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "AWS:SourceArn"
      values   = [aws_sesv2_configuration_set.this.arn]
    }
  }
}

resource "aws_sns_topic_policy" "events" {
  count = var.create_event_destination ? 1 : 0

  arn    = aws_sns_topic.events[0].arn
  policy = data.aws_iam_policy_document.events[0].json
}

resource "aws_sesv2_configuration_set_event_destination" "sns" {
  count = var.create_event_destination ? 1 : 0

  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name
  event_destination_name = "sns"

  event_destination {
    enabled              = true
    matching_event_types = var.event_types

    sns_destination {
      topic_arn = aws_sns_topic.events[0].arn
    }
  }

  depends_on = [aws_sns_topic_policy.events]
}
