# Resource policies on the two queues. Allow statements name the roles; the Deny statements
# make the lists exclusive, so an over-broad identity policy elsewhere in the account cannot
# send to or drain the queues. aws:PrincipalArn is the role ARN for assumed-role sessions.
# A service producer (an EventBridge rule) has no aws:PrincipalArn; it is told apart by
# aws:SourceArn, which only the service sets, so the Deny exempts exactly those source ARNs.

locals {
  queue_senders   = distinct(concat(var.producer_role_arns, var.operator_role_arns))
  queue_consumers = distinct(concat(var.consumer_role_arns, var.operator_role_arns))
  dlq_senders     = distinct(concat(var.dlq_producer_role_arns, var.operator_role_arns))

  # Not distinct(): the rule ARNs are unknown until apply, and the guards below only need the
  # (known) number of producers.
  queue_service_source_arns = flatten([for p in var.service_producers : p.source_arns])
  dlq_service_source_arns   = flatten([for p in var.dlq_service_producers : p.source_arns])

  consume_actions = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
  ]
}

data "aws_iam_policy_document" "queue" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [aws_sqs_queue.this.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  dynamic "statement" {
    for_each = length(var.producer_role_arns) > 0 ? [1] : []

    content {
      sid       = "AllowProducers"
      actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
      resources = [aws_sqs_queue.this.arn]

      principals {
        type        = "AWS"
        identifiers = var.producer_role_arns
      }
    }
  }

  dynamic "statement" {
    for_each = { for i, p in var.service_producers : i => p }

    content {
      sid       = "AllowServiceProducer${statement.key}"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.this.arn]

      principals {
        type        = "Service"
        identifiers = [statement.value.service]
      }

      condition {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = statement.value.source_arns
      }
    }
  }

  statement {
    sid       = "AllowConsumers"
    actions   = concat(local.consume_actions, ["sqs:GetQueueAttributes"])
    resources = [aws_sqs_queue.this.arn]

    principals {
      type        = "AWS"
      identifiers = var.consumer_role_arns
    }
  }

  # Conditions are ANDed: denied unless the caller is a listed role or the request comes from
  # a listed source (a missing key makes a negated condition true).
  statement {
    sid       = "DenySendExceptProducers"
    effect    = "Deny"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    dynamic "condition" {
      for_each = length(local.queue_senders) > 0 ? [1] : []

      content {
        test     = "ArnNotLike"
        variable = "aws:PrincipalArn"
        values   = local.queue_senders
      }
    }

    dynamic "condition" {
      for_each = length(var.service_producers) > 0 ? [1] : []

      content {
        test     = "ArnNotEquals"
        variable = "aws:SourceArn"
        values   = local.queue_service_source_arns
      }
    }
  }

  statement {
    sid       = "DenyConsumeExceptConsumers"
    effect    = "Deny"
    actions   = local.consume_actions
    resources = [aws_sqs_queue.this.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = local.queue_consumers
    }
  }
}

data "aws_iam_policy_document" "dlq" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [aws_sqs_queue.dlq.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  dynamic "statement" {
    for_each = length(var.dlq_producer_role_arns) > 0 ? [1] : []

    content {
      sid       = "AllowDlqProducers"
      actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
      resources = [aws_sqs_queue.dlq.arn]

      principals {
        type        = "AWS"
        identifiers = var.dlq_producer_role_arns
      }
    }
  }

  dynamic "statement" {
    for_each = { for i, p in var.dlq_service_producers : i => p }

    content {
      sid       = "AllowDlqServiceProducer${statement.key}"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.dlq.arn]

      principals {
        type        = "Service"
        identifiers = [statement.value.service]
      }

      condition {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = statement.value.source_arns
      }
    }
  }

  # SQS's own redrive from the queue is not a SendMessage call, so it is unaffected. Nothing
  # but the listed roles and sources may add messages by hand.
  dynamic "statement" {
    for_each = length(local.dlq_senders) > 0 || length(var.dlq_service_producers) > 0 ? [1] : []

    content {
      sid       = "DenySendExceptDlqProducers"
      effect    = "Deny"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.dlq.arn]

      principals {
        type        = "*"
        identifiers = ["*"]
      }

      dynamic "condition" {
        for_each = length(local.dlq_senders) > 0 ? [1] : []

        content {
          test     = "ArnNotLike"
          variable = "aws:PrincipalArn"
          values   = local.dlq_senders
        }
      }

      dynamic "condition" {
        for_each = length(var.dlq_service_producers) > 0 ? [1] : []

        content {
          test     = "ArnNotEquals"
          variable = "aws:SourceArn"
          values   = local.dlq_service_source_arns
        }
      }
    }
  }
}
