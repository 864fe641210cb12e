# Resource policies on the two queues. Allow statements name the roles; the Deny statements
# make the lists exclusive, so an over-broad identity policy elsewhere in the account cannot
# send to or drain the queues. aws:PrincipalArn is the role ARN for assumed-role sessions.

locals {
  queue_senders   = distinct(concat(var.producer_role_arns, var.operator_role_arns))
  queue_consumers = distinct(concat(var.consumer_role_arns, var.operator_role_arns))
  dlq_senders     = distinct(concat(var.dlq_producer_role_arns, var.operator_role_arns))

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

  statement {
    sid       = "AllowProducers"
    actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.this.arn]

    principals {
      type        = "AWS"
      identifiers = var.producer_role_arns
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

  statement {
    sid       = "DenySendExceptProducers"
    effect    = "Deny"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = local.queue_senders
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

  # SQS's own redrive from the queue is not a SendMessage call, so it is unaffected. Nothing
  # but the listed roles may add messages by hand.
  dynamic "statement" {
    for_each = length(local.dlq_senders) > 0 ? [1] : []

    content {
      sid       = "DenySendExceptDlqProducers"
      effect    = "Deny"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.dlq.arn]

      principals {
        type        = "*"
        identifiers = ["*"]
      }

      condition {
        test     = "ArnNotLike"
        variable = "aws:PrincipalArn"
        values   = local.dlq_senders
      }
    }
  }
}
