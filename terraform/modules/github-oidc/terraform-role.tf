# Role for `terraform apply` from the environment's protected jobs. No AdministratorAccess: it gets
# the environment boundary (environment-boundary.tf) both as its permissions and as its
# permissions boundary, so it may use only the services this stack manages, only on resources of
# its own environment, and every role it creates must carry the same boundary.

resource "aws_iam_role" "terraform" {
  count = var.create_terraform_role ? 1 : 0

  name                 = local.terraform_role_name
  description          = "terraform apply from the ${var.github_environment} environment of ${var.github_repository}."
  assume_role_policy   = data.aws_iam_policy_document.trust_environment.json
  max_session_duration = 3600
  permissions_boundary = aws_iam_policy.boundary.arn

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "terraform_scope" {
  count = var.create_terraform_role ? 1 : 0

  role       = aws_iam_role.terraform[0].name
  policy_arn = aws_iam_policy.boundary.arn
}

resource "aws_iam_role_policy_attachment" "terraform" {
  for_each = var.create_terraform_role ? toset(var.terraform_role_policy_arns) : toset([])

  role       = aws_iam_role.terraform[0].name
  policy_arn = each.value
}
