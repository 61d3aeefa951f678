NC.data("search/terms/70-6c",{"placed":[234,270],"planned":[89,227],"plans":[83,276]});
