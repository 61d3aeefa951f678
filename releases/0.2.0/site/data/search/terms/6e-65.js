NC.data("search/terms/6e-65",{"nearly":[269,274],"necessary":[36,61,271,273,274],"need":[35,36],"needed":[93,274],"needs":[243],"new":[48,62,71,138,272,275,276],"next":[243]});
