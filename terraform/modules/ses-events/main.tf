# The AWS half of the status event path: an EventBridge rule on the default bus takes the SES
# events of one configuration set and delivers them to an SQS queue that the status consumer
# (email-sender) reads. Only this rule may send to the queue; what EventBridge cannot deliver,
# and what the consumer gives up on, ends in the queue's dead-letter queue.

locals {
  # SES event types as the configuration set names them -> EventBridge detail-type.
  detail_types = {
    SEND              = "Email Sent"
    DELIVERY          = "Email Delivered"
    DELIVERY_DELAY    = "Email Delivery Delayed"
    BOUNCE            = "Email Bounced"
    COMPLAINT         = "Email Complaint Received"
    REJECT            = "Email Rejected"
    RENDERING_FAILURE = "Email Rendering Failed"
    OPEN              = "Email Opened"
    CLICK             = "Email Clicked"
    SUBSCRIPTION      = "Email Subscribed"
  }
}

resource "aws_cloudwatch_event_rule" "ses_events" {
  name           = "${var.name}-ses-events"
  description    = "SES sending events of configuration set ${var.configuration_set_name} to the status queue."
  event_bus_name = "default"

  # Every SES event carries its configuration set in mail.tags["ses:configuration-set"] (a
  # list; a pattern value matches any element), so another configuration set in the account,
  # such as another environment's, never reaches this queue.
  event_pattern = jsonencode({
    source        = ["aws.ses"]
    "detail-type" = [for t in var.event_types : local.detail_types[t]]
    detail = {
      mail = {
        tags = {
          "ses:configuration-set" = [var.configuration_set_name]
        }
      }
    }
  })

  tags = var.tags
}

module "queue" {
  source = "../sqs-queue"

  name                       = "${var.name}-ses-events"
  visibility_timeout_seconds = var.visibility_timeout_seconds
  max_receive_count          = var.max_receive_count
  # The consumer's identity-policy documents merge with the email queue's on one task role.
  statement_id_prefix = "SesEvents"

  producer_role_arns = []
  service_producers = [{
    service     = "events.amazonaws.com"
    source_arns = [aws_cloudwatch_event_rule.ses_events.arn]
  }]
  # The rule's dead-letter config sends what it cannot deliver; the consumer sets poison
  # events aside with their reason.
  dlq_service_producers = [{
    service     = "events.amazonaws.com"
    source_arns = [aws_cloudwatch_event_rule.ses_events.arn]
  }]
  consumer_role_arns     = var.consumer_role_arns
  dlq_producer_role_arns = var.consumer_role_arns
  operator_role_arns     = var.operator_role_arns

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "queue" {
  rule           = aws_cloudwatch_event_rule.ses_events.name
  event_bus_name = aws_cloudwatch_event_rule.ses_events.event_bus_name
  target_id      = "status-queue"
  arn            = module.queue.queue_arn

  # EventBridge retries a failed delivery (queue policy or SQS outage) for up to a day, then
  # parks the event in the DLQ with ERROR_CODE/ERROR_MESSAGE attributes instead of dropping it.
  retry_policy {
    maximum_event_age_in_seconds = var.maximum_event_age_in_seconds
    maximum_retry_attempts       = var.maximum_retry_attempts
  }

  dead_letter_config {
    arn = module.queue.dlq_arn
  }
}
