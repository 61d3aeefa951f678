NC.data("search/terms/6a-65",{"jen":[27]});
