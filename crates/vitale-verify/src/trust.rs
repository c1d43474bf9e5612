//! The trust list: which issuer keys the workstation accepts (being written).
