# terraform init -backend-config=backend.hcl -backend-config="bucket=<state bucket>"
key    = "staging/terraform.tfstate"
region = "us-east-1"
