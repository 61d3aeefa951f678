NC.data("search/terms/65-76",{"even":[48,274,276],"ever":[37,78,102,275]});
