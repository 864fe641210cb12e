provider "aws" {
  region = var.region

  default_tags {
    tags = merge({ Project = var.project, Stack = "bootstrap", ManagedBy = "terraform" }, var.tags)
  }
}
