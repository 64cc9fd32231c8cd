"""The local cluster: each capsule instance is a process on this machine, watched by a small
supervisor process of its own (see `driver.LocalCluster`)."""
