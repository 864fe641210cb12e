# Production, primary region. terraform plan -var-file=regions/us-east-1.tfvars
region   = "us-east-1"
vpc_cidr = "10.10.0.0/16"
