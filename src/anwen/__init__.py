"""anwen (安稳): campus safety and stability for a district education bureau."""
