# Deploy role: push images, register task definitions, update the two services, drive the API's
# CodeDeploy deployment group, and read this root's state outputs. Nothing else.

locals {
  codedeploy_application_arn      = "arn:${local.partition}:codedeploy:${local.region}:${local.account_id}:application:${var.codedeploy_application_name}"
  codedeploy_deployment_group_arn = "arn:${local.partition}:codedeploy:${local.region}:${local.account_id}:deploymentgroup:${var.codedeploy_application_name}/${var.codedeploy_deployment_group_name}"
  codedeploy_config_arn           = "arn:${local.partition}:codedeploy:${local.region}:${local.account_id}:deploymentconfig:*"
  cluster_name                    = element(split("/", var.ecs_cluster_arn), length(split("/", var.ecs_cluster_arn)) - 1)
  ecs_task_arn                    = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:task/${local.cluster_name}/*"
}

data "aws_iam_policy_document" "deploy" {
  source_policy_documents = [data.aws_iam_policy_document.state_read.json]

  statement {
    sid     = "EcrLogin"
    actions = ["ecr:GetAuthorizationToken"]
    #checkov:skip=CKV_AWS_355:ecr:GetAuthorizationToken has no resource type; the token alone grants nothing without the repository statement below.
    #trivy:ignore:AVD-AWS-0057
    resources = ["*"]
  }

  statement {
    sid = "EcrPushAndRead"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImageScanFindings",
      "ecr:DescribeImages",
      "ecr:DescribeRepositories",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:StartImageScan",
      "ecr:UploadLayerPart",
    ]
    resources = var.ecr_repository_arns
  }

  statement {
    sid = "TaskDefinitions"
    actions = [
      "ecs:DeregisterTaskDefinition",
      "ecs:DescribeTaskDefinition",
      "ecs:ListTaskDefinitions",
      "ecs:RegisterTaskDefinition",
    ]
    #checkov:skip=CKV_AWS_355:ECS task-definition actions do not support resource-level permissions (same as the official amazon-ecs-deploy-task-definition policy); what a task may do is bounded by the PassRole statement.
    #trivy:ignore:AVD-AWS-0057
    resources = ["*"]
  }

  # The deploy action copies the live task definition, tags included.
  statement {
    sid       = "TagNewTaskDefinitions"
    actions   = ["ecs:TagResource"]
    resources = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:task-definition/*"]

    condition {
      test     = "StringEquals"
      variable = "ecs:CreateAction"
      values   = ["RegisterTaskDefinition"]
    }
  }

  statement {
    sid       = "UpdateServices"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = var.ecs_service_arns
  }

  statement {
    sid       = "InspectTasks"
    actions   = ["ecs:DescribeTasks"]
    resources = [local.ecs_task_arn]
  }

  statement {
    sid     = "ListClusterTasks"
    actions = ["ecs:ListTasks"]
    #checkov:skip=CKV_AWS_355:ecs:ListTasks is authorised on container instances; the condition limits it to this cluster.
    #trivy:ignore:AVD-AWS-0057
    resources = ["*"]

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [var.ecs_cluster_arn]
    }
  }

  statement {
    sid       = "PassServiceRoles"
    actions   = ["iam:PassRole"]
    resources = var.pass_role_arns

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  # Every deployment action is authorised on the deployment group (CodeDeploy's permissions
  # reference: ContinueDeployment and StopDeployment take
  # arn:<partition>:codedeploy:<region>:<account>:deploymentgroup:<application>/<group>), so this
  # role can release or stop only its own environment's deployments, never another's waiting at
  # Ready.
  statement {
    sid = "DriveApiDeployments"
    actions = [
      "codedeploy:BatchGetDeploymentTargets",
      "codedeploy:ContinueDeployment",
      "codedeploy:CreateDeployment",
      "codedeploy:GetDeployment",
      "codedeploy:GetDeploymentGroup",
      "codedeploy:GetDeploymentTarget",
      "codedeploy:ListDeployments",
      "codedeploy:ListDeploymentTargets",
      "codedeploy:StopDeployment",
    ]
    resources = [local.codedeploy_deployment_group_arn]
  }

  statement {
    sid = "ApiApplicationRevisions"
    actions = [
      "codedeploy:GetApplication",
      "codedeploy:GetApplicationRevision",
      "codedeploy:RegisterApplicationRevision",
    ]
    resources = [local.codedeploy_application_arn]
  }

  statement {
    sid       = "ReadDeploymentConfigs"
    actions   = ["codedeploy:GetDeploymentConfig"]
    resources = [local.codedeploy_config_arn]
  }

  # The blue/green test listener is closed by default; the deploy action opens the runner's /32
  # on the test port around its smoke test and revokes it afterwards. Only that security group,
  # and only while it carries this environment's tag.
  statement {
    sid       = "OpenTestListenerForSmokeTest"
    actions   = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"]
    resources = [var.test_listener_security_group_arn]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [var.environment_tag]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name               = "${var.name}-github-deploy"
  description        = "Image push and service deployment from ${var.github_repository} (${var.github_environment})."
  assume_role_policy = data.aws_iam_policy_document.trust_deploy.json
  # 3 h: the workflows ask for role-duration-seconds 10800 so that the credentials outlast a
  # production deploy (ready wait + canary + termination wait + margin, then the worker).
  max_session_duration = 10800
  permissions_boundary = aws_iam_policy.boundary.arn

  tags = var.tags
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}
