# The environment boundary: one managed policy that is the Terraform role's permissions and the
# permissions boundary of every role of this environment (plan, deploy, Terraform, and the roles
# the stack creates for tasks, CodeDeploy and flow logs). In an account shared by staging and
# production it is what keeps one environment's roles off the other's resources:
# - only the services this stack manages;
# - IAM only on roles and policies named `<name>-*`, and a new role must carry this boundary
#   (so the Terraform role cannot create an unbounded role to escalate);
# - nothing on a resource tagged with another `Environment`, and no resource created or retagged
#   with another `Environment` (every resource of the stack carries its environment's tag);
# - S3 only on this environment's buckets and its own state prefix;
# - neither this policy nor the Terraform role itself can be changed by the roles it bounds: a
#   change to them is applied by an administrator.

locals {
  boundary_policy_name = "${var.name}-boundary"
  boundary_policy_arn  = "arn:${local.partition}:iam::${local.account_id}:policy/${local.boundary_policy_name}"
  terraform_role_name  = "${var.name}-github-terraform"
  iam_prefix_arn       = "arn:${local.partition}:iam::${local.account_id}"

  # IAM service prefixes of everything under terraform/ (sesv2 is `ses`, EventBridge `events`).
  managed_services = [
    "acm",
    "application-autoscaling",
    "cloudwatch",
    "codedeploy",
    "dynamodb",
    "ec2",
    "ecr",
    "ecs",
    "elasticloadbalancing",
    "events",
    "kms",
    "logs",
    "route53",
    "secretsmanager",
    "servicediscovery",
    "ses",
    "sns",
    "sqs",
    "wafv2",
  ]
}

data "aws_iam_policy_document" "boundary" {
  statement {
    sid     = "ManagedServices"
    actions = [for service in local.managed_services : "${service}:*"]
    # A boundary only caps: it grants nothing by itself, and the Deny statements below confine it
    # to this environment's resources (aws:ResourceTag/Environment), which "*" cannot express.
    #checkov:skip=CKV_AWS_355:the services' resources are confined by the Environment-tag Deny statements below, not by ARN
    #checkov:skip=CKV_AWS_288:data reads are confined to this environment's resources by the Environment-tag Deny statements
    #checkov:skip=CKV_AWS_289:kms/secretsmanager permissions management is confined to this environment's tagged resources
    #checkov:skip=CKV_AWS_290:write access is confined to this environment's tagged resources by the Deny statements
    #trivy:ignore:AVD-AWS-0057
    resources = ["*"]
  }

  statement {
    sid     = "OwnRolesAndPolicies"
    actions = ["iam:*"]
    resources = [
      "${local.iam_prefix_arn}:role/${var.name}-*",
      "${local.iam_prefix_arn}:policy/${var.name}-*",
      "${local.iam_prefix_arn}:oidc-provider/${local.github_oidc_host}",
    ]
  }

  statement {
    sid     = "ReadIam"
    actions = ["iam:Get*", "iam:List*"]
    #checkov:skip=CKV_AWS_355:plan refreshes and looks up IAM objects (OIDC provider, AWS managed policies) anywhere in the account; reads only
    #trivy:ignore:AVD-AWS-0057
    resources = ["*"]
  }

  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["${local.iam_prefix_arn}:role/aws-service-role/*"]
  }

  statement {
    sid     = "StateAndOwnBuckets"
    actions = ["s3:*"]
    resources = [
      "arn:${local.partition}:s3:::${lower(var.name)}-*",
      "arn:${local.partition}:s3:::${lower(var.name)}-*/*",
      "${local.state_bucket_arn}/${var.state_key_prefix}*",
    ]
  }

  statement {
    sid       = "ListStateBucket"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [local.state_bucket_arn]
  }

  statement {
    sid       = "NothingOfAnotherEnvironment"
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/Environment"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [var.environment_tag]
    }
  }

  statement {
    sid       = "NoTagOfAnotherEnvironment"
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:RequestTag/Environment"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:RequestTag/Environment"
      values   = [var.environment_tag]
    }
  }

  statement {
    sid       = "NewRolesCarryThisBoundary"
    effect    = "Deny"
    actions   = ["iam:CreateRole", "iam:PutRolePermissionsBoundary"]
    resources = ["*"]

    condition {
      test     = "StringNotEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_policy_arn]
    }
  }

  statement {
    sid       = "BoundariesStay"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary"]
    resources = ["*"]
  }

  statement {
    sid    = "BoundaryAndTerraformRoleUnchangeable"
    effect = "Deny"
    actions = [
      "iam:AttachRolePolicy",
      "iam:CreatePolicyVersion",
      "iam:DeletePolicy",
      "iam:DeletePolicyVersion",
      "iam:DeleteRole",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:PutRolePolicy",
      "iam:SetDefaultPolicyVersion",
      "iam:TagPolicy",
      "iam:TagRole",
      "iam:UntagPolicy",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
    ]
    resources = [
      local.boundary_policy_arn,
      "${local.iam_prefix_arn}:role/${local.terraform_role_name}",
    ]
  }
}

resource "aws_iam_policy" "boundary" {
  name        = local.boundary_policy_name
  description = "Permissions and permissions boundary of the ${var.github_environment} roles: managed services, own resources only."
  policy      = data.aws_iam_policy_document.boundary.json

  tags = var.tags
}
