NC.data("search/terms/65-76",{"even":[48,278,280],"ever":[39,81,103,279]});
