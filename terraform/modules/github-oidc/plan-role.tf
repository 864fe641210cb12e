# Read-only role for `terraform plan` on pull requests. ReadOnlyAccess lets plan refresh every
# resource type in the stack without listing them. It also reads data (any S3 object, table
# items, log events), which plan never needs and a pull request must not get: the guardrail
# below denies those, including other environments' state files.

resource "aws_iam_role" "plan" {
  count = var.create_plan_role ? 1 : 0

  name                 = "${var.name}-github-plan"
  description          = "terraform plan from pull requests of ${var.github_repository} (read-only)."
  assume_role_policy   = data.aws_iam_policy_document.trust_pull_request.json
  max_session_duration = 3600
  permissions_boundary = aws_iam_policy.boundary.arn

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "plan_read_only" {
  count = var.create_plan_role ? 1 : 0

  role       = aws_iam_role.plan[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}

data "aws_iam_policy_document" "plan" {
  source_policy_documents = [data.aws_iam_policy_document.state_lock.json]

  statement {
    sid           = "NoObjectReadsButOwnState"
    effect        = "Deny"
    actions       = ["s3:GetObject", "s3:GetObjectVersion"]
    not_resources = [local.state_objects_arn]
  }

  statement {
    sid    = "NoDataReads"
    effect = "Deny"
    # Every data read ReadOnlyAccess grants on what this stack runs (tools/terraform-check rule
    # NOTIFY_READONLY_NO_DATA keeps the list complete): items, stream records, log events and
    # records (also live tail, Insights results, unmasked values), messages, parameter values
    # (SecureStrings decrypt with ReadOnlyAccess' kms reads), image layers, and the WAF's sampled
    # requests (they carry request headers, clients' bearer tokens among them).
    actions = [
      "dynamodb:BatchGetItem",
      "dynamodb:GetItem",
      "dynamodb:GetRecords",
      "dynamodb:PartiQLSelect",
      "dynamodb:Query",
      "dynamodb:Scan",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
      "logs:FilterLogEvents",
      "logs:GetLogEvents",
      "logs:GetLogRecord",
      "logs:GetQueryResults",
      "logs:StartLiveTail",
      "logs:StartQuery",
      "logs:Unmask",
      "sqs:ReceiveMessage",
      "ssm:GetParameter",
      "ssm:GetParameterHistory",
      "ssm:GetParameters",
      "ssm:GetParametersByPath",
      "wafv2:GetSampledRequests",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "plan_state" {
  count = var.create_plan_role ? 1 : 0

  name   = "terraform-state"
  role   = aws_iam_role.plan[0].id
  policy = data.aws_iam_policy_document.plan.json
}
