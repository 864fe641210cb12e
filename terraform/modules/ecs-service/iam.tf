locals {
  # A secret reference may end in ":json-key:version-stage:version-id"; IAM wants the secret ARN.
  secret_arns = distinct([for v in values(var.secrets) : regex("^arn:[^:]+:secretsmanager:[^:]+:[0-9]+:secret:[^:]+", v)])
}

# ECS starts the task with the execution role before the task exists: the role keeps AWS's
# documented plain trust.
data "aws_iam_policy_document" "task_exec_assume" {
  statement {
    sid     = "EcsTasksAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "task_assume" {
  statement {
    sid     = "EcsTasksAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    # Confused-deputy protection (as AWS documents for task roles): only ECS tasks of this
    # account and region may assume the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }
}

################################################################################
# Execution role: what ECS needs to start the task (pull, logs, secrets)
################################################################################

resource "aws_iam_role" "task_exec" {
  name                 = "${var.name}-task-exec"
  description          = "ECS task execution role of ${var.name}: image pull, logs, its secrets"
  assume_role_policy   = data.aws_iam_policy_document.task_exec_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

data "aws_iam_policy_document" "task_exec" {
  statement {
    sid = "PullImages"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = var.ecr_repository_arns
  }

  statement {
    sid     = "EcrLogin"
    actions = ["ecr:GetAuthorizationToken"]
    #checkov:skip=CKV_AWS_355:ecr:GetAuthorizationToken supports no resource-level permissions
    #trivy:ignore:AVD-AWS-0057
    resources = ["*"]
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  dynamic "statement" {
    for_each = length(var.secrets) > 0 ? [1] : []

    content {
      sid       = "ReadOwnSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.secret_arns
    }
  }

  dynamic "statement" {
    for_each = length(var.secrets_kms_key_arns) > 0 ? [1] : []

    content {
      sid       = "DecryptOwnSecrets"
      actions   = ["kms:Decrypt"]
      resources = var.secrets_kms_key_arns

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${data.aws_region.current.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "task_exec" {
  name   = "start-task"
  role   = aws_iam_role.task_exec.id
  policy = data.aws_iam_policy_document.task_exec.json
}

################################################################################
# Task role: what the application may do (policy from the caller)
################################################################################

resource "aws_iam_role" "task" {
  name                 = "${var.name}-task"
  description          = "ECS task role of ${var.name}: the application's own AWS permissions"
  assume_role_policy   = data.aws_iam_policy_document.task_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

resource "aws_iam_role_policy" "task" {
  name   = "application"
  role   = aws_iam_role.task.id
  policy = var.task_role_policy_json
}
