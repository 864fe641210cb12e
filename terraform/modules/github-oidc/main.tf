locals {
  github_oidc_url  = "https://token.actions.githubusercontent.com"
  github_oidc_host = "token.actions.githubusercontent.com"

  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn

  pull_request_sub = "repo:${var.github_repository}:pull_request"
  environment_sub  = "repo:${var.github_repository}:environment:${var.github_environment}"
  main_branch_sub  = "repo:${var.github_repository}:ref:refs/heads/main"
  deploy_subs      = var.allow_main_branch ? [local.environment_sub, local.main_branch_sub] : [local.environment_sub]

  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

# IAM fetches GitHub's certificate chain itself, so no thumbprint is pinned here.
resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url            = local.github_oidc_url
  client_id_list = ["sts.amazonaws.com"]

  tags = var.tags
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 0 : 1

  url = local.github_oidc_url
}

# Trust: GitHub's OIDC tokens for this repository only, with `sub` pinned exactly (StringEquals,
# no wildcards) and the STS audience.
data "aws_iam_policy_document" "trust_pull_request" {
  statement {
    sid     = "GitHubPullRequests"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:sub"
      values   = [local.pull_request_sub]
    }
  }
}

data "aws_iam_policy_document" "trust_deploy" {
  statement {
    sid     = "GitHubDeployJobs"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:sub"
      values   = local.deploy_subs
    }
  }
}

# Terraform apply runs only inside the GitHub environment (its protection rules gate it).
data "aws_iam_policy_document" "trust_environment" {
  statement {
    sid     = "GitHubEnvironmentJobs"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:sub"
      values   = [local.environment_sub]
    }
  }
}
