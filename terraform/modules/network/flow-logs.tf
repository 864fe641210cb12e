data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

resource "aws_cloudwatch_log_group" "flow_log" {
  name = "/aws/vpc-flow-log/${var.name}"
  #checkov:skip=CKV_AWS_338:retention is the caller's choice (flow_log_retention_in_days); production keeps 365 days, staging 30
  retention_in_days = var.flow_log_retention_in_days
  # CloudWatch Logs encrypts every log group; a customer-managed key is optional.
  #checkov:skip=CKV_AWS_158:flow_log_kms_key_arn is optional: the key's policy must grant logs.<region>.amazonaws.com, so the module cannot create a working default; null keeps CloudWatch's own encryption
  #trivy:ignore:AVD-AWS-0017
  kms_key_id = var.flow_log_kms_key_arn

  tags = var.tags
}

resource "aws_flow_log" "this" {
  vpc_id                   = aws_vpc.this.id
  traffic_type             = var.flow_log_traffic_type
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_log.arn
  iam_role_arn             = aws_iam_role.flow_log.arn
  max_aggregation_interval = 60

  tags = merge(var.tags, { Name = var.name })
}

data "aws_iam_policy_document" "flow_log_assume" {
  statement {
    sid     = "VpcFlowLogsAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }

    # Confused-deputy protection: only flow logs of this account may use the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:vpc-flow-log/*"]
    }
  }
}

resource "aws_iam_role" "flow_log" {
  name                 = "${var.name}-vpc-flow-log"
  assume_role_policy   = data.aws_iam_policy_document.flow_log_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

data "aws_iam_policy_document" "flow_log" {
  statement {
    sid       = "WriteFlowLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.flow_log.arn}:*"]
  }

  statement {
    sid       = "FindFlowLogGroup"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:*"]
  }
}

resource "aws_iam_role_policy" "flow_log" {
  name   = "write-flow-logs"
  role   = aws_iam_role.flow_log.id
  policy = data.aws_iam_policy_document.flow_log.json
}
